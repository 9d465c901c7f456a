#include "transparency/note.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/sha256.h"
#include "base/status_macros.h"

namespace salesledger::note {
namespace {

constexpr absl::string_view kDash = "\xe2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr size_t kMaxSignatures = 100;
constexpr size_t kMaxNoteBytes = 1 << 20;

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("not a signed note: ", what));
}

// Standard base64 with padding, and nothing a second encoding would write differently.
bool StrictBase64(absl::string_view text, std::string* out) {
  return absl::Base64Unescape(text, out) && absl::Base64Escape(*out) == text;
}

std::string Hex8(uint32_t id) { return absl::StrFormat("%08x", id); }

bool ValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += len;
  }
  return true;
}

// The key material of "base64(type || key)": 33 bytes, the type first.
absl::StatusOr<std::pair<uint8_t, std::string>> TypedKey(absl::string_view base64, const char* what) {
  std::string raw;
  if (!StrictBase64(base64, &raw) || raw.size() != 1 + kEd25519KeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("the ", what, " is not base64 of a type byte and a 32-byte key"));
  }
  return std::make_pair(static_cast<uint8_t>(raw[0]), raw.substr(1));
}

absl::StatusOr<uint32_t> ParseHexId(absl::string_view hex) {
  uint32_t id = 0;
  if (hex.size() != 8 || !absl::SimpleHexAtoi(hex, &id)) {
    return absl::InvalidArgumentError(absl::StrCat("the key ID '", hex, "' is not 8 hex digits"));
  }
  return id;
}

}  // namespace

uint32_t KeyId(absl::string_view name, uint8_t type, absl::string_view public_key) {
  const char t = static_cast<char>(type);
  const std::string h = Sha256({name, "\n", absl::string_view(&t, 1), public_key});
  return (static_cast<uint32_t>(static_cast<unsigned char>(h[0])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(h[1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(h[2])) << 8) | static_cast<unsigned char>(h[3]);
}

absl::Status CheckKeyName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("a key name must not be empty");
  if (!ValidUtf8(name)) return absl::InvalidArgumentError("a key name must be UTF-8");
  for (unsigned char c : name) {
    if (c <= 0x20 || c == '+' || c == 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat("the key name '", name, "' holds a space, '+' or a control character"));
    }
  }
  if (absl::StrContains(name, "\xe3\x80\x80") || absl::StrContains(name, "\xc2\xa0")) {
    return absl::InvalidArgumentError(absl::StrCat("the key name '", name, "' holds a Unicode space"));
  }
  return absl::OkStatus();
}

std::string Verifier::ToString() const {
  const char t = static_cast<char>(type);
  return absl::StrCat(name, "+", Hex8(id), "+", absl::Base64Escape(absl::StrCat(absl::string_view(&t, 1), public_key)));
}

absl::StatusOr<Verifier> ParseVerifierKey(absl::string_view text) {
  // The key's base64 may hold '+': the name and the ID may not, so only the first two split.
  const std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('+', 2));
  if (parts.size() != 3) return absl::InvalidArgumentError("a verifier key is <name>+<key ID>+<key>");
  Verifier v;
  v.name = std::string(parts[0]);
  RETURN_IF_ERROR(CheckKeyName(v.name));
  ASSIGN_OR_RETURN(v.id, ParseHexId(parts[1]));
  ASSIGN_OR_RETURN(auto typed, TypedKey(parts[2], "verifier key"));
  v.type = typed.first;
  v.public_key = std::move(typed.second);
  if (v.type != kEd25519 && v.type != kEd25519Cosignature) {
    return absl::InvalidArgumentError(absl::StrCat("the verifier key's signature type ", v.type, " is not Ed25519"));
  }
  if (KeyId(v.name, v.type, v.public_key) != v.id) {
    return absl::InvalidArgumentError("the verifier key's ID does not match its name and key");
  }
  return v;
}

std::string Signer::ToString() const {
  const char t = static_cast<char>(type);
  return absl::StrCat("PRIVATE+KEY+", name, "+", Hex8(id()), "+",
                      absl::Base64Escape(absl::StrCat(absl::string_view(&t, 1), key.seed())));
}

absl::StatusOr<Signer> NewSigner(absl::string_view name, uint8_t type) {
  RETURN_IF_ERROR(CheckKeyName(name));
  ASSIGN_OR_RETURN(Ed25519PrivateKey key, Ed25519PrivateKey::Generate());
  return Signer{std::string(name), type, std::move(key)};
}

absl::StatusOr<Signer> ParseSignerKey(absl::string_view text) {
  text = absl::StripTrailingAsciiWhitespace(text);
  const std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('+', 4));
  if (parts.size() != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY") {
    return absl::InvalidArgumentError("a private key is PRIVATE+KEY+<name>+<key ID>+<key>");
  }
  RETURN_IF_ERROR(CheckKeyName(parts[2]));
  ASSIGN_OR_RETURN(const uint32_t id, ParseHexId(parts[3]));
  ASSIGN_OR_RETURN(auto typed, TypedKey(parts[4], "private key"));
  ASSIGN_OR_RETURN(Ed25519PrivateKey key, Ed25519PrivateKey::FromSeed(typed.second));
  Signer signer{std::string(parts[2]), typed.first, std::move(key)};
  if (signer.id() != id) return absl::InvalidArgumentError("the private key's ID does not match its name and key");
  return signer;
}

absl::StatusOr<Note> ParseNote(absl::string_view note) {
  if (note.size() > kMaxNoteBytes) return Malformed("over 1 MiB");
  if (!ValidUtf8(note)) return Malformed("not UTF-8");
  for (unsigned char c : note) {
    if (c < 0x20 && c != '\n') return Malformed("a control character other than a newline");
  }
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) return Malformed("no blank line before the signatures");
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  absl::string_view rest = note.substr(split + 2);
  if (rest.empty() || rest.back() != '\n') return Malformed("the signatures do not end in a newline");
  rest.remove_suffix(1);
  for (absl::string_view line : absl::StrSplit(rest, '\n')) {
    if (!absl::ConsumePrefix(&line, kDash)) return Malformed("a signature line does not start with '— '");
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) return Malformed("a signature line has no signature after the name");
    Signature s;
    s.name = std::string(line.substr(0, space));
    if (!CheckKeyName(s.name).ok()) return Malformed(absl::StrCat("'", s.name, "' is not a key name"));
    std::string raw;
    if (!StrictBase64(line.substr(space + 1), &raw) || raw.size() < 5) {
      return Malformed(absl::StrCat("the signature of ", s.name, " is not base64 of a key ID and a signature"));
    }
    s.id = (static_cast<uint32_t>(static_cast<unsigned char>(raw[0])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(raw[1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(raw[2])) << 8) | static_cast<unsigned char>(raw[3]);
    s.bytes = raw.substr(4);
    out.signatures.push_back(std::move(s));
    if (out.signatures.size() > kMaxSignatures) return Malformed("more than 100 signatures");
  }
  return out;
}

std::string SignatureLine(const Signature& s) {
  const char id[4] = {static_cast<char>(s.id >> 24), static_cast<char>(s.id >> 16), static_cast<char>(s.id >> 8),
                      static_cast<char>(s.id)};
  return absl::StrCat(kDash, s.name, " ", absl::Base64Escape(absl::StrCat(absl::string_view(id, 4), s.bytes)), "\n");
}

std::string Sign(absl::string_view text, const Signer& signer) {
  return absl::StrCat(text, "\n", SignatureLine(Signature{signer.name, signer.id(), signer.key.Sign(text)}));
}

absl::StatusOr<std::string> Open(absl::string_view note, const Verifier& verifier) {
  ASSIGN_OR_RETURN(const Note parsed, ParseNote(note));
  for (const Signature& s : parsed.signatures) {
    if (s.name != verifier.name || s.id != verifier.id) continue;  // another key's: ignored
    if (verifier.type != kEd25519 || !Ed25519Verify(verifier.public_key, parsed.text, s.bytes)) {
      return absl::FailedPreconditionError(absl::StrCat("the signature of ", verifier.name, " does not verify"));
    }
    return parsed.text;
  }
  return absl::FailedPreconditionError(absl::StrCat("the note is not signed by ", verifier.name, " (key ID ",
                                                    Hex8(verifier.id), ")"));
}

}  // namespace salesledger::note
