// PersonalFields: how a read model gets a customer's name and phone in the clear (issue 20). The
// state holds them sealed under the customer's data key (domain/state.h Customer); only a reader
// who may see a field has it opened, through this interface, which the server implements with its
// key store (services/personal_data.h). Customers from before sealing hold theirs in the clear.
#ifndef SALESLEDGER_QUERIES_PERSONAL_FIELDS_H_
#define SALESLEDGER_QUERIES_PERSONAL_FIELDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace salesledger {

class PersonalFields {
 public:
  enum Field { kName, kPhone };
  virtual ~PersonalFields() = default;
  // The field in the clear, from `sealed` (what the state holds). FAILED_PRECONDITION when the
  // customer's key was destroyed (an erasure); DATA_LOSS when it does not open; UNAVAILABLE when
  // the key store cannot be read. Thread-safe.
  virtual absl::StatusOr<std::string> Open(absl::string_view project_id, absl::string_view customer_id, Field field,
                                           absl::string_view sealed) const = 0;
};

// Opens nothing: for a state from a ledger that does not seal (tests, the offline simulator), where
// every customer's fields are in the clear. Open answers FAILED_PRECONDITION.
const PersonalFields& NoPersonalKeys();

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_PERSONAL_FIELDS_H_
