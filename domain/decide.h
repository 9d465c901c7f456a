// decide: a command against the state -> the one event it causes, or a refusal (DESIGN.md).
// Pure: no I/O, no clock (recorded_at and seq come in the context). Thread-safe as its arguments
// are: it only reads `state`.
#ifndef SALESLEDGER_DOMAIN_DECIDE_H_
#define SALESLEDGER_DOMAIN_DECIDE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/state.h"
#include "salesledger/v1/commands.pb.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

struct DecideContext {
  const Person& actor;             // the authenticated principal
  absl::Time recorded_at;          // the time the event will be recorded at
  uint64_t seq = 0;                // the seq it will get
  std::string token_sha256;        // issue_token: SHA-256 of the token the service generated
  // register_customer when the ledger seals personal fields (issue 20): HMAC-SHA256 of the
  // command's phone digits under the project's index key, which 撞单 looks up and the event keeps.
  // Empty: the phone's digits are the index (a ledger that does not seal, and the domain tests).
  std::string phone_index;
};

// Checks `command` against `state` with the codes of SPEC.md §4, in this order, the first failure
// answering:
//   1. the actor's role (PERMISSION_DENIED; access.h has each command's roles),
//   2. the fields (INVALID_ARGUMENT; every Timestamp first, then the command's own table),
//   3. the project and the actor's assignment to it (NOT_FOUND, PERMISSION_DENIED),
//   4. the records it names (NOT_FOUND),
//   5. the ids it creates (ALREADY_EXISTS),
//   6. expected_seq (ABORTED),
//   7. the state (FAILED_PRECONDITION, naming the current state and what put it there).
// On success fills `event`'s body, project_id, occurred_at and any number the ledger assigns
// (receipt_no); the caller sets the rest of the envelope. On refusal `event` is unspecified.
// Each command's own checks are its Decide<Command> function (commands.h), reached from one
// exhaustive switch in decide.cc.
absl::Status Decide(const State& state, const salesledger::v1::Command& command, const DecideContext& context,
                    salesledger::v1::Event& event);

// Decides `command` as the person `actor_id` issues it: UNAUTHENTICATED unless that is an active
// person, then as Decide. `draft` comes with the seq and recorded_at the event will get; on
// success it is the whole event but for what the log adds (request_id, prev_hash, hash): actor,
// project, occurred_at (recorded_at when the command gives none), the policy version in force,
// the body. `token_sha256`, `phone_index`: see DecideContext.
absl::Status DecideAs(const State& state, const std::string& actor_id, const salesledger::v1::Command& command,
                      const std::string& token_sha256, salesledger::v1::Event& draft,
                      const std::string& phone_index = "");

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_DECIDE_H_
