#include "queries/personal_fields.h"

namespace salesledger {
namespace {

class NoKeys final : public PersonalFields {
 public:
  absl::StatusOr<std::string> Open(absl::string_view, absl::string_view, Field, absl::string_view) const override {
    return absl::FailedPreconditionError("this ledger holds no data keys");
  }
};

}  // namespace

const PersonalFields& NoPersonalKeys() {
  static const NoKeys* const keys = new NoKeys();
  return *keys;
}

}  // namespace salesledger
