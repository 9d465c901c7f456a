// The domain with nothing around it: a State driven through DecideAs and Apply alone, in memory,
// with a clock that moves only when told. No log, no threads, no disk: what these tests see is
// decide and apply, and they link the domain library only.
//
// Tests are tables of Steps, run in order (TigerBeetle's state machine tests are the model): each
// row is a command and the exact answer it must get; accepted rows change the state the next rows
// see, refused rows must not.
#ifndef SALESLEDGER_TESTS_DOMAIN_DOMAIN_HARNESS_H_
#define SALESLEDGER_TESTS_DOMAIN_DOMAIN_HARNESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/state.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger::testing {

class DomainHarness {
 public:
  // `cast`: the first-week cast (tests/testing/first_week_cast.h, events 2..27); else only the
  // genesis.
  explicit DomainHarness(bool cast = true);

  // Decides `cmd` (its scenario-file name) with `args` (the request in protobuf's JSON) as `actor`
  // at now(), and applies it when accepted. In `args`, $AT[n] is replaced by now() + n minutes
  // in RFC 3339 (+08:00), and $NOW by $AT[0].
  absl::StatusOr<v1::Event> Run(const std::string& actor, const std::string& cmd, const std::string& args);
  // As Run; aborts the test process on a refusal (for set-up steps). Returns the event's seq.
  uint64_t Must(const std::string& actor, const std::string& cmd, const std::string& args);

  const State& state() const { return state_; }
  absl::Time now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  std::string At(int64_t minutes = 0) const;

 private:
  std::string Fill(const std::string& args) const;

  State state_;
  absl::Time now_;
};

// One row of a table.
struct Step {
  std::string why;                            // what the row shows, for the failure message
  std::string actor, cmd, args;
  absl::StatusCode code = absl::StatusCode::kOk;
  std::string message = "";                   // a fragment of the refusal's message
};

// Runs `steps` in order and checks each answer's exact code and message fragment; a refused step
// must leave the state where it was.
void RunSteps(DomainHarness& harness, const std::vector<Step>& steps);

// Common ones.
inline constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
inline constexpr absl::StatusCode kPermissionDenied = absl::StatusCode::kPermissionDenied;
inline constexpr absl::StatusCode kInvalidArgument = absl::StatusCode::kInvalidArgument;
inline constexpr absl::StatusCode kNotFound = absl::StatusCode::kNotFound;
inline constexpr absl::StatusCode kAlreadyExists = absl::StatusCode::kAlreadyExists;
inline constexpr absl::StatusCode kAborted = absl::StatusCode::kAborted;
inline constexpr absl::StatusCode kFailedPrecondition = absl::StatusCode::kFailedPrecondition;
inline constexpr absl::StatusCode kUnauthenticated = absl::StatusCode::kUnauthenticated;

}  // namespace salesledger::testing

#endif  // SALESLEDGER_TESTS_DOMAIN_DOMAIN_HARNESS_H_
