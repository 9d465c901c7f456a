// libFuzzer: any bytes as a Command (the binary form a gRPC request arrives in), decided against a
// small cast by every kind of person; accepted commands are applied. Decide must refuse what is
// wrong, never crash, and Apply must take whatever Decide accepted.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/time_proto.h"
#include "domain/apply.h"
#include "domain/decide.h"
#include "salesledger/v1/commands.pb.h"
#include "salesledger/v1/event.pb.h"

namespace {

using salesledger::State;
namespace v1 = salesledger::v1;

// Applies what Decide accepts for `actor`, or aborts: the set-up must hold.
void Must(State& state, const std::string& actor, const v1::Command& command) {
  v1::Event event;
  event.set_seq(state.head_seq + 1);
  *event.mutable_recorded_at() = salesledger::ToProto(absl::FromUnixSeconds(1772326800) + absl::Seconds(state.head_seq));
  if (!salesledger::DecideAs(state, actor, command, std::string(32, 't'), event).ok()) __builtin_trap();
  salesledger::Apply(state, event);
}

const State& Cast() {
  static const State* cast = [] {
    auto* s = new State();
    v1::Event genesis;
    genesis.set_seq(1);
    genesis.set_policy_version(1);
    genesis.mutable_genesis()->set_admin_token_id("admin");
    genesis.mutable_genesis()->set_admin_token_sha256(std::string(32, 'a'));
    salesledger::Apply(*s, genesis);
    v1::Command c;
    c.mutable_define_project()->set_project_id("BJF");
    c.mutable_define_project()->set_name("x");
    Must(*s, "admin", c);
    const char* roles[] = {"CONSULTANT", "CUSTOMER_SERVICE", "SALES_LEAD", "CASHIER", "ACCOUNTANT", "TITLE_MORTGAGE",
                           "MARKETING",  "INSPECTOR",        "FINANCE_LEAD", "AUDITOR"};
    for (const char* role : roles) {
      v1::Command add;
      add.mutable_add_person()->set_person_id(role);
      add.mutable_add_person()->set_name(role);
      v1::Role value;
      v1::Role_Parse(role, &value);
      add.mutable_add_person()->add_roles(value);
      add.mutable_add_person()->add_project_ids("BJF");
      Must(*s, "admin", add);
    }
    v1::Command unit;
    auto* u = unit.mutable_define_unit();
    u->set_project_id("BJF");
    u->set_unit_id("U1");
    u->set_building("A");
    u->set_floor(1);
    u->set_room("1");
    u->set_product_type("x");
    u->set_area_x100(100);
    u->set_list_price_fen(100);
    Must(*s, "CUSTOMER_SERVICE", unit);
    return s;
  }();
  return *cast;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  v1::Command command;
  if (!command.ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  State state = Cast();
  const char* actors[] = {"admin", "CONSULTANT", "CUSTOMER_SERVICE", "SALES_LEAD", "CASHIER", "ACCOUNTANT",
                          "TITLE_MORTGAGE", "MARKETING", "INSPECTOR", "FINANCE_LEAD", "AUDITOR"};
  const std::string actor = actors[data[0] % 11];
  v1::Event event;
  event.set_seq(state.head_seq + 1);
  *event.mutable_recorded_at() = salesledger::ToProto(absl::FromUnixSeconds(1772400000));
  if (salesledger::DecideAs(state, actor, command, std::string(32, 't'), event).ok()) salesledger::Apply(state, event);
  return 0;
}
