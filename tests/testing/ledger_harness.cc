#include "tests/testing/ledger_harness.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/scenario_line.h"

namespace salesledger::testing {

absl::Time ScenarioStart() { return absl::FromUnixSeconds(1772326800); }

void LedgerHarness::Open() {
  LedgerOptions options;
  options.data_dir = dir_.Sub("data");
  options.clock = &clock_;
  auto ledger = Ledger::Open(options);
  if (!ledger.ok()) {
    std::fprintf(stderr, "LedgerHarness: %s\n", ledger.status().ToString().c_str());
    std::abort();
  }
  ledger_ = *std::move(ledger);
}

void LedgerHarness::Reopen() {
  ledger_.reset();
  Open();
}

LedgerHarness::LedgerHarness(bool cast) : clock_(ScenarioStart()) {
  Open();
  if (!cast) return;
  Must("admin", "define_project", R"({"project_id":"BJF","name":"滨江府","time_zone":"Asia/Shanghai"})");
  Must("admin", "define_project", R"({"project_id":"OTHER","name":"别的楼盘"})");
  Must("admin", "add_person", R"({"person_id":"xs01","name":"许销售","roles":["SALES_LEAD"],"project_ids":["BJF"]})");
  Must("admin", "add_person", R"({"person_id":"cw01","name":"陈财务","roles":["FINANCE_LEAD"]})");
  Must("admin", "add_person", R"({"person_id":"cw02","name":"财务二","roles":["FINANCE_LEAD"]})");
  Must("admin", "add_person",
       R"({"person_id":"gw01","name":"顾一","roles":["CONSULTANT"],"supervisor_id":"xs01","project_ids":["BJF"]})");
  Must("admin", "add_person",
       R"({"person_id":"gw02","name":"顾二","roles":["CONSULTANT"],"supervisor_id":"xs01","project_ids":["BJF"]})");
  Must("admin", "add_person",
       R"({"person_id":"desk","name":"前台","roles":["CONSULTANT"],"project_ids":["BJF"],"shared":true})");
  Must("admin", "add_person",
       R"({"person_id":"kf01","name":"柯客服","roles":["CUSTOMER_SERVICE"],"supervisor_id":"xs01","project_ids":["BJF"]})");
  Must("admin", "add_person",
       R"({"person_id":"kf09","name":"别处客服","roles":["CUSTOMER_SERVICE","CASHIER","ACCOUNTANT","SALES_LEAD","MARKETING","TITLE_MORTGAGE","CONSULTANT"],"project_ids":["OTHER"]})");
  Must("admin", "add_person",
       R"({"person_id":"sy01","name":"苏收银","roles":["CASHIER"],"supervisor_id":"cw01","project_ids":["BJF"]})");
  Must("admin", "add_person",
       R"({"person_id":"kj01","name":"孔会计","roles":["ACCOUNTANT"],"supervisor_id":"cw01","project_ids":["BJF"]})");
  Must("admin", "add_person",
       R"({"person_id":"qz01","name":"秦权证","roles":["TITLE_MORTGAGE"],"supervisor_id":"xs01","project_ids":["BJF"]})");
  Must("admin", "add_person", R"({"person_id":"yx01","name":"杨营销","roles":["MARKETING"],"project_ids":["BJF"]})");
  Must("admin", "add_person", R"({"person_id":"jc01","name":"江稽查","roles":["INSPECTOR"]})");
  Must("admin", "add_person", R"({"person_id":"sj01","name":"审计","roles":["AUDITOR"]})");
  Must("admin", "set_project_leads", R"({"project_id":"BJF","sales_lead_id":"xs01","accountant_id":"kj01"})");
  for (const char* unit : {"A1-1201", "A1-1202", "A1-1203", "A1-1204"}) {
    Must("kf01", "define_unit",
         absl::StrCat(R"({"project_id":"BJF","unit_id":")", unit,
                      R"(","building":"A1","floor":12,"room":"01","product_type":"住宅","area_x100":8937,"list_price_fen":198000000})"));
  }
  Must("kf01", "define_payment_plan",
       R"({"project_id":"BJF","plan_id":"MORTGAGE30","name":"按揭","kind":"MORTGAGE","discount_bp":0})");
  Must("xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1201","A1-1202","A1-1203","MORTGAGE30"],"approve":true})");
  Must("yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1201","A1-1202","A1-1203","MORTGAGE30"]})");
  Must("gw01", "register_customer",
       R"({"project_id":"BJF","customer_id":"C1","name":"王","phone":"13800000001","consultant_id":"gw01","source":"VISIT"})");
  Must("gw02", "register_customer",
       R"({"project_id":"BJF","customer_id":"C2","name":"李","phone":"13900000002","consultant_id":"gw02","source":"CALL"})");
}

absl::StatusOr<CommandOutcome> LedgerHarness::Run(const std::string& actor, const std::string& cmd,
                                                  const std::string& args, const std::string& request_id) {
  const std::string id = request_id.empty() ? absl::StrCat("h-", ++next_request_) : request_id;
  auto line = ParseScenarioLine(absl::StrCat(R"({"cmd":")", cmd, R"(","args":)", args, "}"), id);
  if (!line.ok()) return line.status();
  return ledger_->Execute(actor, line->command);
}

uint64_t LedgerHarness::Must(const std::string& actor, const std::string& cmd, const std::string& args) {
  auto outcome = Run(actor, cmd, args);
  if (!outcome.ok()) {
    std::fprintf(stderr, "LedgerHarness set-up step %s by %s refused: %s\n", cmd.c_str(), actor.c_str(),
                 outcome.status().ToString().c_str());
    std::abort();
  }
  return outcome->event.seq();
}

UnitStatus LedgerHarness::UnitStatusOf(const std::string& unit_id) {
  return Read([&](const State& s) { return s.projects.at("BJF").units.at(unit_id).status; });
}

std::string LedgerHarness::At(int64_t minutes) {
  static const absl::TimeZone kBeijing = absl::FixedTimeZone(8 * 3600);
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+08:00", clock_.Now() + absl::Minutes(minutes), kBeijing);
}

}  // namespace salesledger::testing
