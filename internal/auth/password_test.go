package auth

import (
	"strings"
	"testing"
)

var testParams = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32}

func TestHashAndCheck(t *testing.T) {
	h, err := HashPassword("correct horse battery", testParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id with the given parameters", h)
	}
	if err := CheckPassword(h, "correct horse battery"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := CheckPassword(h, "correct horse batterY"); err != ErrMismatch {
		t.Errorf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword("correct horse battery", testParams)
	if h2 == h {
		t.Error("two hashes of one password are equal: salt is not random")
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "$argon2id$v=19$m=1024,t=1,p=1$!!$AA"} {
		if err := CheckPassword(h, "x"); err == nil || err == ErrMismatch {
			t.Errorf("CheckPassword(%q) = %v, want a malformed-hash error", h, err)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{{"short", false}, {"0123456789", true}, {"éééééééééé", true}, {strings.Repeat("a", 1025), false}}
	for _, tt := range tests {
		if err := ValidatePassword(tt.pw); (err == nil) != tt.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
	}
}

func TestGeneratedSecrets(t *testing.T) {
	p := GeneratePassword()
	if ValidatePassword(p) != nil || p == GeneratePassword() {
		t.Errorf("generated password %q is weak or repeats", p)
	}
	tok := NewAPIToken()
	if !LooksLikeAPIToken(tok) || LooksLikeAPIToken(tok[1:]) || tok == NewAPIToken() {
		t.Errorf("token %q has the wrong shape or repeats", tok)
	}
	if !SameDigest(Digest(tok), Digest(tok)) || SameDigest(Digest(tok), Digest(tok+"x")) {
		t.Error("digest comparison is wrong")
	}
}
