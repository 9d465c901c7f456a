#include "services/scenario_line.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace salesledger {
namespace {

// Splits a JSON object into its top-level members, keeping each value's raw text, so that `args`
// reaches protobuf's JSON parser exactly as written (no number goes through a double).
class ObjectSplitter {
 public:
  explicit ObjectSplitter(const std::string& text) : s_(text) {}

  absl::StatusOr<std::map<std::string, std::string>> Split() {
    std::map<std::string, std::string> members;
    SkipSpace();
    if (!Eat('{')) return Error("a line must be one JSON object");
    SkipSpace();
    if (Eat('}')) return members;
    while (true) {
      SkipSpace();
      const size_t key_start = i_;
      if (!SkipString()) return Error("expected a quoted member name");
      std::string key = s_.substr(key_start + 1, i_ - key_start - 2);
      SkipSpace();
      if (!Eat(':')) return Error("expected ':'");
      SkipSpace();
      const size_t value_start = i_;
      if (!SkipValue()) return Error(absl::StrCat("malformed value of '", key, "'"));
      members[key] = s_.substr(value_start, i_ - value_start);
      SkipSpace();
      if (Eat('}')) break;
      if (!Eat(',')) return Error("expected ',' or '}'");
    }
    SkipSpace();
    if (i_ != s_.size()) return Error("text after the JSON object");
    return members;
  }

 private:
  absl::Status Error(const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat("malformed JSON at byte ", i_, ": ", what));
  }
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool Eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool SkipString() {
    if (!Eat('"')) return false;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '\\') {
        ++i_;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }
  bool SkipValue() {
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '"') return SkipString();
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++i_;
      SkipSpace();
      if (Eat(close)) return true;
      while (true) {
        SkipSpace();
        if (c == '{') {
          if (!SkipString()) return false;
          SkipSpace();
          if (!Eat(':')) return false;
          SkipSpace();
        }
        if (!SkipValue()) return false;
        SkipSpace();
        if (Eat(close)) return true;
        if (!Eat(',')) return false;
      }
    }
    const size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' && s_[i_] != '\n') ++i_;
    return i_ > start;
  }

  const std::string& s_;
  size_t i_ = 0;
};

// The string a JSON string literal holds (the scenario's own members are plain ASCII strings).
absl::StatusOr<std::string> StringValue(const std::string& raw, const char* member) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"' || raw.find('\\') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("'", member, "' must be a plain string"));
  }
  return raw.substr(1, raw.size() - 2);
}

}  // namespace

absl::StatusOr<ScenarioLine> ParseScenarioLine(const std::string& text, const std::string& default_request_id) {
  if (text.size() > kMaxRequestBytes) {
    return absl::ResourceExhaustedError(absl::StrCat("the request has ", text.size(), " bytes; at most 1 MiB is accepted"));
  }
  auto members = ObjectSplitter(text).Split();
  if (!members.ok()) return members.status();
  ScenarioLine line;
  for (const auto& [key, raw] : *members) {
    if (key != "at" && key != "actor" && key != "cmd" && key != "request_id" && key != "args") {
      return absl::InvalidArgumentError(absl::StrCat("unknown member '", key, "'"));
    }
  }
  if (auto at = members->find("at"); at != members->end()) {
    auto value = StringValue(at->second, "at");
    if (!value.ok()) return value.status();
    absl::Time t;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, *value, &t, &error)) {
      return absl::InvalidArgumentError(absl::StrCat("'at' is not an RFC 3339 time: ", error));
    }
    line.at = t;
  }
  if (auto actor = members->find("actor"); actor != members->end()) {
    auto value = StringValue(actor->second, "actor");
    if (!value.ok()) return value.status();
    line.actor = *value;
  }
  auto cmd = members->find("cmd");
  if (cmd == members->end()) return absl::InvalidArgumentError("member 'cmd' is required");
  auto name = StringValue(cmd->second, "cmd");
  if (!name.ok()) return name.status();
  const auto* field = salesledger::v1::Command::descriptor()->FindFieldByName(*name);
  if (field == nullptr || field->containing_oneof() == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown command '", *name, "'"));
  }
  auto* request = line.command.GetReflection()->MutableMessage(&line.command, field);
  if (auto args = members->find("args"); args != members->end()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto parsed = google::protobuf::util::JsonStringToMessage(args->second, request, options);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("args of ", *name, ": ", parsed.message().as_string()));
    }
  }
  // The line's request_id, else one inside args, else the default.
  const auto* request_id = request->GetDescriptor()->FindFieldByName("request_id");
  if (auto id = members->find("request_id"); id != members->end()) {
    auto value = StringValue(id->second, "request_id");
    if (!value.ok()) return value.status();
    request->GetReflection()->SetString(request, request_id, *value);
  } else if (request->GetReflection()->GetString(*request, request_id).empty()) {
    request->GetReflection()->SetString(request, request_id, default_request_id);
  }
  return line;
}

}  // namespace salesledger
