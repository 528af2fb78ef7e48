package redact

// This file holds the Scrubber: the secret values a call knows, replaced
// wherever they appear in text, in every spelling a server may echo them
// in.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A Scrubber replaces known secret values in text, wherever they appear,
// in every spelling a server may echo them in:
//
//   - as they are, or inside a JSON string however its writer escaped them
//     (any character as \uXXXX in either case, "/" as \/, and the short
//     escapes), or inside a JSON string quoted within another, twice over;
//   - HTML-escaped (&amp; &lt; &gt; &quot; &apos; and numeric references
//     such as &#39; or &#x27;), as an HTML page or template writes them,
//     inside a JSON string or around one (a page quoting a JSON body),
//     the JSON quoting counting towards the two;
//   - URL-encoded, as url.QueryEscape or url.PathEscape write them (or any
//     other choice of characters percent-encoded, in either case of hex),
//     inside any of the above;
//   - in base64, standard and URL alphabets, padded and raw, inside any of
//     the above (for a secret of at least minEncoded bytes: the base64 of a
//     shorter one would be found in ordinary words);
//   - inside the base64 of a longer text, such as a request body a server
//     echoes in base64, the secret as it is or as a JSON string holds it
//     (for a secret of at least minCore bytes; see cores). Such a find
//     inside a run of base64 is replaced by base64 of the same length
//     that decodes to stars, so that the run still decodes.
//
// The zero value, or nil, replaces nothing.
type Scrubber struct {
	// set is behind a pointer so that fmt, printing a struct that holds a
	// Scrubber, shows an address rather than the secrets.
	set *secretSet
}

// secretSet is what a Scrubber looks for.
type secretSet struct {
	secrets []string // as given
	// forms are what is looked for, ordered by their first byte: the forms
	// that start with byte b are forms[first[b]:first[b+1]]. Most bytes of
	// most texts start none, and are not escapes (isEscape) either, which
	// keeps a text without secrets cheap to scrub.
	forms []form
	first [257]int32
}

// form is one spelling of a secret that is looked for.
type form struct {
	text string
	// phase is, for a spelling in base64, the place of its first
	// character in its group of four (see starsBase64); -1 for a secret's
	// own spelling, which is replaced by Placeholder.
	phase int8
}

// minEncoded is the length from which a secret is also looked for in
// base64: 6 bytes encode to 8 characters.
const minEncoded = 6

// minCore is the length from which a secret is also looked for inside the
// base64 of a longer text. 8 bytes, the API's shortest pre-shared key,
// leave a core of 10 characters in each alignment: 60 bits of the secret,
// which ordinary text does not hold by chance.
const minCore = 8

// starsBase64 is the base64 of "***", in both alphabets: a find inside a
// run of base64 is replaced by its characters, in the place of each in its
// group of four, so the run decodes to stars where the secret was.
const starsBase64 = "Kioq"

// NewScrubber returns a Scrubber of the non-empty secrets given.
func NewScrubber(secrets ...string) *Scrubber {
	return (&Scrubber{}).With(secrets...)
}

// With returns a Scrubber of s's secrets and more.
func (s *Scrubber) With(secrets ...string) *Scrubber {
	var old []string
	if !s.Empty() {
		old = s.set.secrets
	}
	var added []string
	for _, v := range secrets {
		if v != "" && !slices.Contains(old, v) && !slices.Contains(added, v) {
			added = append(added, v)
		}
	}
	if len(added) == 0 && !s.Empty() {
		return s
	}
	set := &secretSet{secrets: append(slices.Clip(old), added...)}
	var forms []form
	if !s.Empty() {
		forms = slices.Clip(s.set.forms)
	}
	for _, v := range added {
		for _, f := range spellings(v) {
			if !slices.ContainsFunc(forms, func(g form) bool { return g.text == f.text }) {
				forms = append(forms, f)
			}
		}
	}
	slices.SortStableFunc(forms, func(a, b form) int { return int(a.text[0]) - int(b.text[0]) })
	set.forms = forms
	for _, f := range forms {
		set.first[int(f.text[0])+1]++
	}
	for b := 1; b < len(set.first); b++ {
		set.first[b] += set.first[b-1]
	}
	return &Scrubber{set: set}
}

// spellings returns secret and, when it is long enough, its base64 forms
// and its cores in the base64 of longer texts, as it is and as a JSON
// string holds it.
func spellings(secret string) []form {
	out := []form{{text: secret, phase: -1}}
	add := func(f form) {
		if !slices.ContainsFunc(out, func(g form) bool { return g.text == f.text }) {
			out = append(out, f)
		}
	}
	if len(secret) < minEncoded {
		return out
	}
	texts := []string{secret}
	if q := jsonQuoted(secret); q != secret {
		texts = append(texts, q) // as the request's JSON body carried it
	}
	for _, text := range texts {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			add(form{text: enc.EncodeToString([]byte(text))})
		}
		if len(secret) >= minCore {
			for _, f := range cores(text) {
				add(f)
			}
		}
	}
	return out
}

// jsonQuoted returns secret as encoding/json writes it inside a string
// (the SDK's request bodies): <, > and & as \u escapes, " and \ escaped.
func jsonQuoted(secret string) string {
	b, err := json.Marshal(secret)
	if err != nil {
		return secret
	}
	return string(b[1 : len(b)-1])
}

// cores returns the characters of secret's base64 that are the same in the
// base64 of any text holding it, in each of the three places a byte can
// have in a group of three, in both alphabets: the characters whose six
// bits are all the secret's. A secret of n bytes has a core of at least
// (8n-10)/6 characters in each.
func cores(secret string) []form {
	var out []form
	buf := make([]byte, len(secret)+4)
	for k := range 3 { // bytes before the secret in its first group
		clear(buf)
		copy(buf[k:], secret)
		first := (8*k + 5) / 6            // the first character whose bits are all the secret's
		last := 8 * (k + len(secret)) / 6 // and the one after the last
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			core := enc.EncodeToString(buf[:k+len(secret)+2])[first:last]
			if !slices.ContainsFunc(out, func(g form) bool { return g.text == core }) {
				out = append(out, form{text: core, phase: int8(first % 4)})
			}
		}
	}
	return out
}

// Format prints how many secrets s holds, never what they are, under
// every verb.
func (s Scrubber) Format(f fmt.State, _ rune) {
	n := 0
	if s.set != nil {
		n = len(s.set.secrets)
	}
	_, _ = fmt.Fprintf(f, "redact.Scrubber{%d secrets}", n)
}

// Empty reports whether s replaces nothing.
func (s *Scrubber) Empty() bool { return s == nil || s.set == nil || len(s.set.secrets) == 0 }

// String returns v with every secret replaced by Placeholder, or, inside a
// run of base64, by base64 of stars of the same length.
func (s *Scrubber) String(v string) string {
	spans := s.find(v)
	if len(spans) == 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	at := 0
	for _, sp := range spans {
		b.WriteString(v[at:sp.from])
		if sp.phase >= 0 && (sp.from > 0 && isBase64(v[sp.from-1]) || sp.to < len(v) && isBase64(v[sp.to])) {
			writeStars(&b, sp.form, int(sp.phase))
		} else {
			b.WriteString(Placeholder)
		}
		at = sp.to
	}
	b.WriteString(v[at:])
	return b.String()
}

// isBase64 reports whether c is a character of base64, in either
// alphabet, padding aside.
func isBase64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_'
}

// writeStars writes, for each character of a base64 form whose first
// character has the given phase, the character of starsBase64 in its
// place, and padding as it is.
func writeStars(b *strings.Builder, form string, phase int) {
	for i := 0; i < len(form); i++ {
		if form[i] == '=' {
			b.WriteByte('=')
			continue
		}
		b.WriteByte(starsBase64[(phase+i)%4])
	}
}

// Bytes returns b with every secret replaced as String replaces it; b
// itself is not modified.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s.Empty() || len(b) == 0 {
		return b
	}
	v := string(b)
	if out := s.String(v); out != v {
		return []byte(out)
	}
	return b
}

// span is where a secret was found in a text: text[from:to]. form and
// phase are those of a base64 form found there; phase is -1 for any
// other find, or for finds that overlap.
type span struct {
	from, to int
	form     string
	phase    int8
}

// isEscape reports whether c may start an escape of one of the spellings
// looked for: \ of JSON, & of HTML, % of a URL, + for a space in a query.
func isEscape(c byte) bool { return c == '\\' || c == '&' || c == '%' || c == '+' }

// find returns where the secrets appear in text, in order, overlapping
// finds merged.
func (s *Scrubber) find(text string) []span {
	if s.Empty() {
		return nil
	}
	set := s.set
	var spans []span
	for i := 0; i < len(text); i++ {
		c := text[i]
		escape := isEscape(c)
		if !escape && set.first[c] == set.first[int(c)+1] {
			continue
		}
		// A byte that is no escape stands for itself in every spelling,
		// and so does the next: the forms whose first two bytes differ
		// cannot start here, which rules out nearly all of them. An
		// escape is decoded once, for the first bytes it may stand for.
		var next byte
		if i+1 < len(text) {
			next = text[i+1]
		}
		nextEscape := isEscape(next)
		best := span{from: i, to: -1}
		if escape {
			var buf [2 * 2 * len(stacks)]byte
			firsts := firstBytes(buf[:0], text, i)
			for k, b := range firsts {
				if slices.Contains(firsts[:k], b) {
					continue
				}
				for _, f := range set.forms[set.first[b]:set.first[int(b)+1]] {
					best.longest(text, f)
				}
			}
		} else {
			for _, f := range set.forms[set.first[c]:set.first[int(c)+1]] {
				if len(f.text) > 1 && next != f.text[1] && !nextEscape {
					continue
				}
				best.longest(text, f)
			}
		}
		if best.to < 0 {
			continue
		}
		if n := len(spans); n > 0 && i < spans[n-1].to {
			last := &spans[n-1]
			last.to, last.phase = max(last.to, best.to), -1
			continue
		}
		spans = append(spans, best)
	}
	return spans
}

// longest makes sp, which starts where it is, the longest find of f
// there, in any stack, if f is found there and longer than sp.
func (sp *span) longest(text string, f form) {
	for _, st := range stacks {
		if e, ok := match(text, sp.from, f.text, st); ok && e > sp.to {
			sp.to, sp.form, sp.phase = e, f.text, f.phase
		}
		if e, ok := matchURL(text, sp.from, f.text, st); ok && e > sp.to {
			sp.to, sp.form, sp.phase = e, f.text, f.phase
		}
	}
}

// stacks are the ways a secret may be quoted, each a list of layers from
// the outermost in: j a JSON string, h HTML. JSON counts twice at most in
// all (a server that quotes a JSON body inside a JSON string escapes it
// twice), HTML once. Each stack comes after the one it extends (see
// extends).
var stacks = [...]string{"", "j", "jj", "h", "jh", "jjh", "hj", "hjj", "jhj"}

// extends holds, for each stack but the first, the index of the stack it
// adds its innermost layer to.
var extends = func() (out [len(stacks)]int) {
	for k, st := range stacks[1:] {
		out[k+1] = slices.Index(stacks[:], st[:len(st)-1])
	}
	return out
}()

// firstBytes appends to out the bytes that the character at text[i] may
// stand for, in every spelling looked for: the first byte of what it
// decodes to in each stack, and of what that decodes to in a URL.
func firstBytes(out []byte, text string, i int) []byte {
	// A layer reads a character that is not its escape (\ of JSON, & of
	// HTML) as it is: a stack whose innermost layer does not apply reads
	// what the stack it extends read, and is not decoded again.
	type read struct {
		r rune
		n int
	}
	var reads [len(stacks)]read
	near := layered(text[i:min(i+3, len(text))]) // a % and its two hex digits are three
	for k, st := range stacks {
		switch {
		case k == 0:
			r, n := decode(text, i, st)
			reads[k] = read{r, n}
		case !near:
			continue // every stack reads such bytes as they are
		default:
			from := reads[extends[k]]
			if layer := st[len(st)-1]; from.n > 0 && (layer == 'j' && from.r == '\\' || layer == 'h' && from.r == '&') {
				r, n := decode(text, i, st)
				reads[k] = read{r, n}
			} else {
				reads[k] = from
			}
		}
		rd := reads[k]
		if rd.n == 0 {
			continue
		}
		var buf [utf8.UTFMax]byte
		utf8.EncodeRune(buf[:], rd.r)
		out = append(out, buf[0])
		switch rd.r {
		case '%':
			if hi, m := hexDigit(text, i+rd.n, st); m > 0 {
				if lo, m2 := hexDigit(text, i+rd.n+m, st); m2 > 0 {
					out = append(out, hi<<4|lo)
				}
			}
		case '+':
			out = append(out, ' ')
		}
	}
	return out
}

// layered reports whether b holds an escape of a layer of the stacks (\ of
// JSON, & of HTML): elsewhere, every stack reads a text as it is.
func layered(b string) bool { return strings.ContainsAny(b, `\&`) }

// match reports whether secret, quoted as stack says, starts at text[i],
// and where it ends.
func match(text string, i int, secret, stack string) (int, bool) {
	for _, want := range secret {
		r, n := decode(text, i, stack)
		if n == 0 || r != want {
			return 0, false
		}
		i += n
	}
	return i, true
}

// matchURL reports whether secret, URL-encoded and then quoted as stack
// says, starts at text[i], and where it ends. Any byte may be
// percent-encoded, in either case of hex, and a space may be a "+".
func matchURL(text string, i int, secret, stack string) (int, bool) {
	for j := 0; j < len(secret); {
		r, n := decode(text, i, stack)
		switch {
		case n == 0:
			return 0, false
		case r == '%':
			hi, m := hexDigit(text, i+n, stack)
			if m == 0 {
				return 0, false
			}
			lo, m2 := hexDigit(text, i+n+m, stack)
			if m2 == 0 || hi<<4|lo != secret[j] {
				return 0, false
			}
			i, j = i+n+m+m2, j+1
		case r == '+' && secret[j] == ' ':
			i, j = i+n, j+1
		default:
			var buf [utf8.UTFMax]byte
			w := utf8.EncodeRune(buf[:], r)
			if !strings.HasPrefix(secret[j:], string(buf[:w])) {
				return 0, false
			}
			i, j = i+n, j+w
		}
	}
	return i, true
}

// decode reads one character of text[i:] quoted as stack says, and
// returns it and the bytes it took; 0 bytes at the end of text or where
// an escape is broken.
func decode(text string, i int, stack string) (rune, int) {
	if i >= len(text) {
		return 0, 0
	}
	if stack == "" {
		return utf8.DecodeRuneInString(text[i:])
	}
	outer, layer := stack[:len(stack)-1], stack[len(stack)-1]
	if layer == 'h' {
		return decodeHTML(text, i, outer)
	}
	return decodeJSON(text, i, outer)
}

// decodeJSON reads one character of a JSON string, itself quoted as outer
// says.
func decodeJSON(text string, i int, outer string) (rune, int) {
	c, n := decode(text, i, outer)
	if n == 0 || c != '\\' {
		return c, n
	}
	e, m := decode(text, i+n, outer)
	n += m
	switch e {
	case '"', '\\', '/', '\'':
		return e, n
	case 'b':
		return '\b', n
	case 'f':
		return '\f', n
	case 'n':
		return '\n', n
	case 'r':
		return '\r', n
	case 't':
		return '\t', n
	case 'u':
		u, m := hex4(text, i+n, outer)
		if m == 0 {
			return 0, 0
		}
		n += m
		if !utf16.IsSurrogate(u) {
			return u, n
		}
		// A character beyond the basic plane is a pair of escapes.
		if c, m := decode(text, i+n, outer); m > 0 && c == '\\' {
			if e, m2 := decode(text, i+n+m, outer); m2 > 0 && e == 'u' {
				if lo, m3 := hex4(text, i+n+m+m2, outer); m3 > 0 {
					if r := utf16.DecodeRune(u, lo); r != utf8.RuneError {
						return r, n + m + m2 + m3
					}
				}
			}
		}
		return utf8.RuneError, n
	}
	return 0, 0
}

// maxEntity bounds the name of an HTML character reference, between & and
// ;, such as #x0001F600.
const maxEntity = 10

// decodeHTML reads one character of HTML text, itself quoted as outer
// says: a character reference, or a character that stands for itself (a
// bare & included, as browsers read it).
func decodeHTML(text string, i int, outer string) (rune, int) {
	c, n := decode(text, i, outer)
	if n == 0 || c != '&' {
		return c, n
	}
	var name [maxEntity]byte
	k, j := 0, i+n
	for {
		r, m := decode(text, j, outer)
		if m == 0 || r >= utf8.RuneSelf {
			break
		}
		j += m
		if r == ';' {
			if v, ok := entity(name[:k]); ok {
				return v, j - i
			}
			break
		}
		if k == len(name) {
			break
		}
		name[k] = byte(r) //nolint:gosec // below utf8.RuneSelf; k < len(name)
		k++
	}
	return '&', n
}

// entity returns the character an HTML character reference names: the
// five that escapers write by name, in either case, or any by number.
func entity(name []byte) (rune, bool) {
	for _, named := range namedEntities {
		if lowerIs(name, named.name) {
			return named.r, true
		}
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, base := name[1:], rune(10)
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for i := 0; i < len(digits); i++ {
		d, ok := digitValue(rune(digits[i]))
		if !ok || rune(d) >= base {
			return 0, false
		}
		r = r*base + rune(d)
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	return r, utf8.ValidRune(r)
}

// namedEntities are the character references escapers write by name.
var namedEntities = [...]struct {
	name string
	r    rune
}{{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}}

// lowerIs reports whether b, in lower case, is the lower-case ASCII s.
func lowerIs(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// hex4 reads the four hex digits of a \u escape, of either case.
func hex4(text string, i int, stack string) (rune, int) {
	var u rune
	n := 0
	for range 4 {
		d, m := hexDigit(text, i+n, stack)
		if m == 0 {
			return 0, 0
		}
		n += m
		u = u<<4 | rune(d)
	}
	return u, n
}

// hexDigit reads one hex digit, of either case, of text quoted as stack
// says, and returns its value.
func hexDigit(text string, i int, stack string) (byte, int) {
	c, n := decode(text, i, stack)
	if d, ok := digitValue(c); n > 0 && ok {
		return d, n
	}
	return 0, 0
}

// digitValue returns the value of a hex digit, of either case.
func digitValue(c rune) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return byte(c - '0'), true
	case 'a' <= c && c <= 'f':
		return byte(c - 'a' + 10), true
	case 'A' <= c && c <= 'F':
		return byte(c - 'A' + 10), true
	}
	return 0, false
}
