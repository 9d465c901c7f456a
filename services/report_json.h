// A small JSON writer for reports (simulate, statements): keys in the order written.
#ifndef SALESLEDGER_SERVICES_REPORT_JSON_H_
#define SALESLEDGER_SERVICES_REPORT_JSON_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"

namespace salesledger {

// `s` as a JSON string literal.
inline std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// Builds {"k":v,...}: Field() adds a member whose value is already JSON.
class JsonObject {
 public:
  JsonObject& Field(const std::string& key, const std::string& json) {
    absl::StrAppend(&text_, text_.empty() ? "" : ",", JsonQuote(key), ":", json);
    return *this;
  }
  JsonObject& String(const std::string& key, const std::string& value) { return Field(key, JsonQuote(value)); }
  JsonObject& Int(const std::string& key, int64_t value) { return Field(key, absl::StrCat(value)); }
  JsonObject& Bool(const std::string& key, bool value) { return Field(key, value ? "true" : "false"); }
  std::string Done() const { return "{" + text_ + "}"; }

 private:
  std::string text_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_REPORT_JSON_H_
