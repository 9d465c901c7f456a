#include "tools/cli_flags.h"

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace salesledger {

absl::Status CliFlags::Parse(int argc, char** argv, int first) {
  for (const FlagSpec& spec : specs_) values_[spec.name] = spec.default_value;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs_) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    if (spec->boolean) {
      values_[name] = has_value ? value : "true";
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      value = argv[++i];
    }
    values_[name] = value;
  }
  return absl::OkStatus();
}

const std::string& CliFlags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) std::abort();  // a flag the program never declared: a bug
  return it->second;
}

std::string CliFlags::Usage() const {
  std::string out;
  for (const FlagSpec& s : specs_) {
    absl::StrAppend(&out, "  --", s.name, s.boolean ? "" : " VALUE", "\n      ", s.help);
    if (!s.default_value.empty() && !s.boolean) absl::StrAppend(&out, " (default: ", s.default_value, ")");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace salesledger
