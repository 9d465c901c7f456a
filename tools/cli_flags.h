// Command-line flags for ledgerd and ledgerctl: `--name value`, `--name=value`, boolean `--name`.
// Names use dashes (`--data-dir`), as SPEC.md §7 and §9 spell them.
// Thread-safety: a CliFlags belongs to one thread (main's).
#ifndef SALESLEDGER_TOOLS_CLI_FLAGS_H_
#define SALESLEDGER_TOOLS_CLI_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace salesledger {

struct FlagSpec {
  std::string name;          // without the leading dashes
  std::string default_value;
  std::string help;
  bool boolean = false;      // takes no value; "true" when present
};

class CliFlags {
 public:
  explicit CliFlags(std::vector<FlagSpec> specs) : specs_(std::move(specs)) {}

  // Parses argv[first..]. Unknown flags and missing values are INVALID_ARGUMENT. Arguments that
  // are not flags are kept, in order, as positional().
  absl::Status Parse(int argc, char** argv, int first = 1);

  const std::string& Get(const std::string& name) const;
  bool GetBool(const std::string& name) const { return Get(name) == "true"; }
  bool help() const { return help_; }
  const std::vector<std::string>& positional() const { return positional_; }
  std::string Usage() const;

 private:
  std::vector<FlagSpec> specs_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

}  // namespace salesledger

#endif  // SALESLEDGER_TOOLS_CLI_FLAGS_H_
