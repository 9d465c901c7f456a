// Bad input, command by command (SPEC.md §3, §4): every required field missing, malformed ids,
// money out of range, unknown enum values, text over its limit, occurred_at in the future,
// references to nothing, the wrong role, a project the person is not on, a request over 1 MiB.
// Each answers its exact code with a message naming the field, and the head does not move.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/scenario_line.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;
using Code = absl::StatusCode;

struct Step {
  std::string actor, cmd, args;
};

struct CommandCase {
  std::string cmd;
  std::string actor;                  // may run it on BJF
  std::string wrong_role;             // on BJF, lacks the role
  std::string args;                   // valid; "$SEQ" = seq of the last set-up step, "$AT" = now
  std::vector<Step> setup = {};
  std::vector<std::string> required = {};
  std::vector<std::string> ids = {};
  std::vector<std::string> money = {};
  std::vector<std::string> enums = {};
  std::vector<std::string> names = {};
  std::vector<std::string> texts = {};
  std::vector<std::string> missing_refs = {};  // set to an id naming nothing: NOT_FOUND
  bool project = true;                // has project_id and needs assignment to it
  bool occurred_at = false;
};

std::string Months() {
  std::string m;
  for (int i = 0; i < 12; ++i) absl::StrAppend(&m, i ? "," : "", R"({"units":1,"amount_fen":100})");
  return "[" + m + "]";
}

std::string Policy() {
  return R"({"visit_late":{"enabled":true,"cutoff_minute_of_day":1440,"warnings_per_month":1,"amount_fen":5000},)"
         R"("subscription_backfilled":{"enabled":true,"max_lag_minutes":30,"amount_fen":10000,"joint_amount_fen":10000},)"
         R"("payment_backfilled":{"enabled":true,"max_lag_minutes":30,"amount_fen":10000,"joint_amount_fen":10000},)"
         R"("audit_overdue":{"enabled":true,"after_hours":24,"amount_fen":10000,"joint_amount_fen":10000},)"
         R"("service_step_late":{"enabled":true,"max_lag_minutes":1440,"amount_fen":10000,"joint_amount_fen":10000},)"
         R"("plan_missing":{"enabled":true,"plan_deadline_month":1,"plan_deadline_day":31,"plan_days_after_project":30,"feedback_day":5},)"
         R"("reserve_unit_minutes":30,"sign_contract_minutes":30,"request_change_minutes":30,"inspection_minute_of_day":1080})";
}

const Step kSubscribe{"kf01", "create_subscription",
                      R"({"project_id":"BJF","subscription_id":"S7","unit_id":"A1-1201","customer_ids":["C1"],)"
                      R"("consultant_id":"gw01","price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$AT"})"};
const Step kPay{"sy01", "record_payment",
                R"({"project_id":"BJF","payment_id":"P7","customer_id":"C1","subscription_id":"S7","kind":"DEPOSIT",)"
                R"("amount_fen":5000000,"method":"CARD","occurred_at":"$AT"})"};
const Step kContract{"kf01", "sign_contract",
                     R"({"project_id":"BJF","contract_id":"K7","subscription_id":"S7","contract_no":"HT-7",)"
                     R"("price_fen":190000000,"occurred_at":"$AT"})"};
const Step kVisit{"gw01", "log_visit",
                  R"({"project_id":"BJF","visit_id":"V8","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"$AT"})"};

std::vector<CommandCase> Cases() {
  return {
      {.cmd = "define_project", .actor = "admin", .wrong_role = "kf01",
       .args = R"({"project_id":"NEW","name":"新盘","time_zone":"Asia/Shanghai"})",
       .required = {"project_id", "name"}, .ids = {"project_id"}, .names = {"name"}, .project = false},
      {.cmd = "add_person", .actor = "admin", .wrong_role = "kf01",
       .args = R"({"person_id":"p9","name":"新人","roles":["CASHIER"],"supervisor_id":"cw01","project_ids":["BJF"]})",
       .required = {"person_id", "name", "roles"}, .ids = {"person_id", "supervisor_id"}, .names = {"name"},
       .missing_refs = {"supervisor_id"}, .project = false},
      {.cmd = "update_person", .actor = "admin", .wrong_role = "kf01",
       .args = R"({"person_id":"gw02","name":"顾二","roles":["CONSULTANT"],"project_ids":["BJF"],"active":true})",
       .required = {"person_id", "name", "roles", "active"}, .ids = {"person_id"}, .names = {"name"},
       .missing_refs = {"person_id"}, .project = false},
      {.cmd = "set_project_leads", .actor = "admin", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","sales_lead_id":"xs01","accountant_id":"kj01"})",
       .required = {"project_id", "sales_lead_id", "accountant_id"}, .ids = {"sales_lead_id", "accountant_id"},
       .missing_refs = {"sales_lead_id", "accountant_id"}, .project = false},
      {.cmd = "issue_token", .actor = "admin", .wrong_role = "kf01", .args = R"({"person_id":"gw01","token_id":"t-gw01"})",
       .required = {"person_id", "token_id"}, .ids = {"person_id", "token_id"}, .missing_refs = {"person_id"},
       .project = false},
      {.cmd = "revoke_token", .actor = "admin", .wrong_role = "kf01", .args = R"({"token_id":"t-x"})",
       .setup = {{"admin", "issue_token", R"({"person_id":"gw01","token_id":"t-x"})"}}, .required = {"token_id"},
       .ids = {"token_id"}, .missing_refs = {"token_id"}, .project = false},
      {.cmd = "set_policy", .actor = "cw01", .wrong_role = "kf01", .args = R"({"policy":)" + Policy() + "}",
       .required = {"policy"}, .project = false},
      {.cmd = "define_unit", .actor = "kf01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","unit_id":"B1","building":"B","floor":1,"room":"01","product_type":"住宅","area_x100":9000,"list_price_fen":100})",
       .required = {"project_id", "unit_id", "building", "floor", "room", "product_type", "area_x100", "list_price_fen"},
       .ids = {"project_id", "unit_id"}, .money = {"list_price_fen"}, .names = {"building", "room", "product_type"}},
      {.cmd = "define_payment_plan", .actor = "kf01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","plan_id":"FULL1","name":"全款","kind":"FULL","discount_bp":500})",
       .required = {"plan_id", "name", "kind", "discount_bp"}, .ids = {"plan_id"}, .enums = {"kind"}, .names = {"name"}},
      {.cmd = "change_list_price", .actor = "kf01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","unit_id":"A1-1201","list_price_fen":200000000})",
       .required = {"unit_id", "list_price_fen"}, .ids = {"unit_id"}, .money = {"list_price_fen"},
       .missing_refs = {"unit_id"}},
      {.cmd = "review_setup", .actor = "xs01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","item_ids":["A1-1204"],"approve":true,"note":"ok"})",
       .required = {"item_ids", "approve"}, .texts = {"note"}},
      {.cmd = "confirm_setup", .actor = "yx01", .wrong_role = "kf01", .args = R"({"project_id":"BJF","item_ids":["A1-1204"]})",
       .setup = {{"xs01", "review_setup", R"({"project_id":"BJF","item_ids":["A1-1204"],"approve":true})"}},
       .required = {"item_ids"}},
      {.cmd = "set_unit_hold", .actor = "xs01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","unit_id":"A1-1201","held":true,"reason":"领导保留"})",
       .required = {"unit_id", "held", "reason"}, .ids = {"unit_id"}, .texts = {"reason"}, .missing_refs = {"unit_id"}},
      {.cmd = "register_customer", .actor = "gw01", .wrong_role = "sy01",
       .args = R"({"project_id":"BJF","customer_id":"C7","name":"赵","phone":"13700000007","consultant_id":"gw01","source":"VISIT","occurred_at":"$AT"})",
       .required = {"customer_id", "name", "phone", "consultant_id", "source"}, .ids = {"customer_id", "consultant_id"},
       .enums = {"source"}, .names = {"name"}, .missing_refs = {"consultant_id"}, .occurred_at = true},
      {.cmd = "log_visit", .actor = "gw01", .wrong_role = "sy01",
       .args = R"({"project_id":"BJF","visit_id":"V7","customer_id":"C1","consultant_id":"gw01","kind":"VISIT","occurred_at":"$AT","intent":"HIGH","note":"看了样板间"})",
       .required = {"visit_id", "customer_id", "consultant_id", "kind", "occurred_at"},
       .ids = {"visit_id", "customer_id", "consultant_id"}, .enums = {"kind", "intent"}, .texts = {"note"},
       .missing_refs = {"customer_id", "consultant_id"}, .occurred_at = true},
      {.cmd = "reserve_unit", .actor = "kf01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","reservation_id":"R7","unit_id":"A1-1201","customer_id":"C1","occurred_at":"$AT"})",
       .required = {"reservation_id", "unit_id", "customer_id", "occurred_at"},
       .ids = {"reservation_id", "unit_id", "customer_id"}, .missing_refs = {"unit_id", "customer_id"}, .occurred_at = true},
      {.cmd = "cancel_reservation", .actor = "kf01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","reservation_id":"R7","reason":"客户取消"})",
       .setup = {{"kf01", "reserve_unit",
                  R"({"project_id":"BJF","reservation_id":"R7","unit_id":"A1-1201","customer_id":"C1","occurred_at":"$AT"})"}},
       .required = {"reservation_id", "reason"}, .ids = {"reservation_id"}, .texts = {"reason"},
       .missing_refs = {"reservation_id"}},
      {.cmd = "create_subscription", .actor = "kf01", .wrong_role = "gw01", .args = kSubscribe.args,
       .required = {"subscription_id", "unit_id", "customer_ids", "consultant_id", "price_fen", "payment_plan_id", "occurred_at"},
       .ids = {"subscription_id", "unit_id", "consultant_id", "payment_plan_id"}, .money = {"price_fen"},
       .missing_refs = {"unit_id", "consultant_id", "payment_plan_id"}, .occurred_at = true},
      {.cmd = "sign_contract", .actor = "kf01", .wrong_role = "gw01", .args = kContract.args, .setup = {kSubscribe},
       .required = {"contract_id", "subscription_id", "contract_no", "price_fen", "occurred_at"},
       .ids = {"contract_id", "subscription_id"}, .money = {"price_fen"}, .names = {"contract_no"},
       .missing_refs = {"subscription_id"}, .occurred_at = true},
      {.cmd = "request_change", .actor = "kf01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","change_id":"CH7","target_id":"S7","kind":"CHANGE_PRICE","reason":"优惠","new_price_fen":180000000})",
       .setup = {kSubscribe}, .required = {"change_id", "target_id", "kind", "reason", "new_price_fen"},
       .ids = {"change_id", "target_id"}, .money = {"new_price_fen"}, .enums = {"kind"}, .texts = {"reason"},
       .missing_refs = {"target_id"}},
      {.cmd = "decide_change", .actor = "xs01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","change_id":"CH7","approve":true,"note":"同意"})",
       .setup = {kSubscribe,
                 {"kf01", "request_change",
                  R"({"project_id":"BJF","change_id":"CH7","target_id":"S7","kind":"CANCEL","reason":"退房"})"}},
       .required = {"change_id", "approve"}, .ids = {"change_id"}, .texts = {"note"}, .missing_refs = {"change_id"}},
      {.cmd = "record_payment", .actor = "sy01", .wrong_role = "gw01", .args = kPay.args, .setup = {kSubscribe},
       .required = {"payment_id", "customer_id", "subscription_id", "kind", "amount_fen", "method", "occurred_at"},
       .ids = {"payment_id", "customer_id", "subscription_id"}, .money = {"amount_fen"}, .enums = {"kind", "method"},
       .missing_refs = {"customer_id", "subscription_id"}, .occurred_at = true},
      {.cmd = "refund_payment", .actor = "sy01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","refund_id":"RF7","payment_id":"P7","amount_fen":1000,"reason":"多收","occurred_at":"$AT"})",
       .setup = {kSubscribe, kPay}, .required = {"refund_id", "payment_id", "amount_fen", "reason", "occurred_at"},
       .ids = {"refund_id", "payment_id"}, .money = {"amount_fen"}, .texts = {"reason"}, .missing_refs = {"payment_id"},
       .occurred_at = true},
      {.cmd = "transfer_payment", .actor = "sy01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","transfer_id":"T7","payment_id":"E7","subscription_id":"S7","occurred_at":"$AT"})",
       .setup = {kSubscribe,
                 {"sy01", "record_payment",
                  R"({"project_id":"BJF","payment_id":"E7","customer_id":"C1","kind":"EARNEST","amount_fen":2000000,"method":"CASH","occurred_at":"$AT"})"}},
       .required = {"transfer_id", "payment_id", "subscription_id", "occurred_at"},
       .ids = {"transfer_id", "payment_id", "subscription_id"}, .missing_refs = {"payment_id", "subscription_id"},
       .occurred_at = true},
      {.cmd = "approve_audit", .actor = "kj01", .wrong_role = "sy01", .args = R"({"project_id":"BJF","target_id":"S7","note":"无误"})",
       .setup = {kSubscribe}, .required = {"target_id"}, .ids = {"target_id"}, .texts = {"note"},
       .missing_refs = {"target_id"}},
      {.cmd = "reject_audit", .actor = "kj01", .wrong_role = "sy01",
       .args = R"({"project_id":"BJF","target_id":"P7","reason":"金额不符"})", .setup = {kSubscribe, kPay},
       .required = {"target_id", "reason"}, .ids = {"target_id"}, .texts = {"reason"}, .missing_refs = {"target_id"}},
      {.cmd = "unlock_record", .actor = "kj01", .wrong_role = "sy01",
       .args = R"({"project_id":"BJF","target_id":"S7","reason":"需要改价"})",
       .setup = {kSubscribe, {"kj01", "approve_audit", R"({"project_id":"BJF","target_id":"S7"})"}},
       .required = {"target_id", "reason"}, .ids = {"target_id"}, .texts = {"reason"}, .missing_refs = {"target_id"}},
      {.cmd = "register_invoice", .actor = "kj01", .wrong_role = "sy01",
       .args = R"({"project_id":"BJF","payment_id":"P7","invoice_no":"FP-0007","invoice_type":"RECEIPT"})",
       .setup = {kSubscribe, kPay}, .required = {"payment_id", "invoice_no", "invoice_type"}, .ids = {"payment_id"},
       .enums = {"invoice_type"}, .names = {"invoice_no"}, .missing_refs = {"payment_id"}},
      {.cmd = "record_service_step", .actor = "qz01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","contract_id":"K7","service":"FILING","step":"SUBMITTED","occurred_at":"$AT","note":"递件"})",
       .setup = {kSubscribe, kContract}, .required = {"contract_id", "service", "step", "occurred_at"},
       .ids = {"contract_id"}, .enums = {"service"}, .texts = {"note"}, .missing_refs = {"contract_id"}, .occurred_at = true},
      {.cmd = "set_sales_plan", .actor = "yx01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","year":2026,"product_type":"住宅","months":)" + Months() + "}",
       .required = {"year", "product_type", "months"}, .names = {"product_type"}},
      {.cmd = "record_plan_feedback", .actor = "yx01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","month":"2026-03","analysis":"来访量不足"})", .required = {"month", "analysis"},
       .texts = {"analysis"}},
      {.cmd = "record_marketing_spend", .actor = "yx01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","spend_id":"M7","month":"2026-03","channel":"抖音","amount_fen":100000,"occurred_at":"$AT"})",
       .required = {"spend_id", "month", "channel", "amount_fen", "occurred_at"}, .ids = {"spend_id"},
       .money = {"amount_fen"}, .names = {"channel"}, .occurred_at = true},
      {.cmd = "record_competitor", .actor = "yx01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","competitor_id":"CP7","name":"对手盘","avg_price_fen_per_m2":3000000,"note":"降价","occurred_at":"$AT"})",
       .required = {"competitor_id", "name", "avg_price_fen_per_m2", "occurred_at"}, .ids = {"competitor_id"},
       .money = {"avg_price_fen_per_m2"}, .names = {"name"}, .texts = {"note"}, .occurred_at = true},
      {.cmd = "request_void", .actor = "gw01", .wrong_role = "gw02",
       .args = R"({"project_id":"BJF","void_id":"VD7","target_seq":$SEQ,"reason":"录错客户"})", .setup = {kVisit},
       .required = {"void_id", "target_seq", "reason"}, .ids = {"void_id"}, .texts = {"reason"}},
      {.cmd = "decide_void", .actor = "xs01", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","void_id":"VD7","approve":true})",
       .setup = {kVisit, {"gw01", "request_void", R"({"project_id":"BJF","void_id":"VD7","target_seq":$SEQ,"reason":"录错"})"}},
       .required = {"void_id", "approve"}, .ids = {"void_id"}, .missing_refs = {"void_id"}},
      {.cmd = "run_inspection", .actor = "jc01", .wrong_role = "kf01", .args = R"({"project_id":"BJF"})",
       .required = {"project_id"}, .project = false},
      {.cmd = "waive_violation", .actor = "cw01", .wrong_role = "kf01",
       .args = R"({"violation_id":"$SEQ.1","reason":"培训期"})",
       .setup = {{"gw01", "log_visit",
                  R"({"project_id":"BJF","visit_id":"V9","customer_id":"C1","consultant_id":"gw01","kind":"CALL","occurred_at":"2026-02-27T10:00:00+08:00"})"}},
       .required = {"violation_id", "reason"}, .texts = {"reason"}, .project = false},
      {.cmd = "define_region", .actor = "admin", .wrong_role = "kf01", .args = R"({"region_id":"R7","name":"华西"})",
       .required = {"region_id", "name"}, .ids = {"region_id"}, .names = {"name"}, .project = false},
      {.cmd = "move_project_region", .actor = "admin", .wrong_role = "kf01",
       .args = R"({"project_id":"BJF","region_id":"R7"})",
       .setup = {{"admin", "define_region", R"({"region_id":"R7","name":"华西"})"}},
       .required = {"project_id", "region_id"}, .ids = {"project_id", "region_id"},
       .missing_refs = {"project_id", "region_id"}, .project = false},
      {.cmd = "rotate_token", .actor = "gw01", .wrong_role = "gw02", .args = R"({"token_id":"t-7","new_token_id":"t-8"})",
       .setup = {{"admin", "issue_token", R"({"person_id":"gw01","token_id":"t-7"})"}}, .required = {"token_id"},
       .ids = {"token_id", "new_token_id"}, .missing_refs = {"token_id"}, .project = false},
      {.cmd = "declare_outage", .actor = "cw01", .wrong_role = "kf01",
       .args = R"({"outage_id":"O7","project_ids":["BJF"],"from":"2026-03-02T08:00:00+08:00","to":"$AT","reason":"断电"})",
       .required = {"outage_id", "from", "to", "reason"}, .ids = {"outage_id"}, .texts = {"reason"},
       .project = false},
      {.cmd = "withdraw_outage", .actor = "cw01", .wrong_role = "kf01", .args = R"({"outage_id":"O7","reason":"误报"})",
       .setup = {{"cw02", "declare_outage",
                  R"({"outage_id":"O7","from":"2026-03-02T08:00:00+08:00","to":"$AT","reason":"断电"})"}},
       .required = {"outage_id", "reason"}, .ids = {"outage_id"}, .texts = {"reason"}, .missing_refs = {"outage_id"},
       .project = false},
      {.cmd = "print_document", .actor = "sy01", .wrong_role = "gw01",
       .args = R"({"project_id":"BJF","kind":"RECEIPT","document_id":"P7"})", .setup = {kSubscribe, kPay},
       .required = {"kind", "document_id"}, .ids = {"document_id"}, .enums = {"kind"},
       .missing_refs = {"document_id"}},
      {.cmd = "server_started", .actor = "system", .wrong_role = "jc01",
       .args = R"({"previous_stop_clean":true,"last_recorded_at":"$AT","version":"ledgerd"})", .project = false},
  };
}

void PrintTo(const CommandCase& c, std::ostream* os) { *os << c.cmd; }

class BadInputTest : public ::testing::TestWithParam<CommandCase> {
 protected:
  void SetUp() override {
    h_.clock().Advance(absl::Hours(30));  // 2026-03-02 15:00 local
    uint64_t seq = 0;
    for (const Step& step : GetParam().setup) seq = h_.Must(step.actor, step.cmd, Fill(step.args, seq));
    args_ = Fill(GetParam().args, seq);
    head_ = h_.head();
  }

  std::string Fill(const std::string& text, uint64_t seq) {
    return absl::StrReplaceAll(text, {{"$SEQ", absl::StrCat(seq)}, {"$AT", h_.At(-5)}});
  }

  // The valid args with `field` changed (or removed when `value` is null).
  std::string With(const std::string& field, const google::protobuf::Value* value) {
    google::protobuf::Struct s;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(args_, &s).ok());
    if (value == nullptr) {
      s.mutable_fields()->erase(field);
    } else {
      (*s.mutable_fields())[field] = *value;
    }
    std::string out;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(s, &out).ok());
    return out;
  }
  std::string WithString(const std::string& field, const std::string& v) {
    google::protobuf::Value value;
    value.set_string_value(v);
    return With(field, &value);
  }
  std::string WithNumber(const std::string& field, double v) {
    google::protobuf::Value value;
    value.set_number_value(v);
    return With(field, &value);
  }

  // Runs and checks that nothing was appended.
  absl::Status Try(const std::string& actor, const std::string& args) {
    absl::Status s = h_.Do(actor, GetParam().cmd, args);
    EXPECT_EQ(h_.head(), head_) << GetParam().cmd << " appended although refused: " << args;
    return s;
  }

  testing::LedgerHarness h_;
  std::string args_;
  uint64_t head_ = 0;
};

TEST_P(BadInputTest, RequiredFieldsMissing) {
  for (const auto& field : GetParam().required) {
    EXPECT_THAT(Try(GetParam().actor, With(field, nullptr)), StatusIs(Code::kInvalidArgument, HasSubstr(field)))
        << "without " << field;
  }
}

TEST_P(BadInputTest, MalformedIds) {
  for (const auto& field : GetParam().ids) {
    EXPECT_THAT(Try(GetParam().actor, WithString(field, "bad id!")), StatusIs(Code::kInvalidArgument, HasSubstr(field)));
    EXPECT_THAT(Try(GetParam().actor, WithString(field, std::string(65, 'x'))),
                StatusIs(Code::kInvalidArgument, HasSubstr(field)));
    EXPECT_THAT(Try(GetParam().actor, WithString(field, "房号")), StatusIs(Code::kInvalidArgument, HasSubstr(field)));
  }
}

TEST_P(BadInputTest, MoneyOutOfRange) {
  for (const auto& field : GetParam().money) {
    for (double v : {-1.0, 0.0, 1000000000001.0}) {
      EXPECT_THAT(Try(GetParam().actor, WithNumber(field, v)),
                  StatusIs(Code::kInvalidArgument,
                           HasSubstr(absl::StrCat("field '", field, "' must be more than 0 and at most 10^12 fen; got ",
                                                  v == 0 ? "0 or nothing" : absl::StrCat(static_cast<int64_t>(v))))))
          << field << " = " << v;
    }
  }
}

TEST_P(BadInputTest, UnknownEnumValues) {
  for (const auto& field : GetParam().enums) {
    EXPECT_THAT(Try(GetParam().actor, WithString(field, "NO_SUCH_VALUE")),
                StatusIs(Code::kInvalidArgument, HasSubstr(field)));
    EXPECT_THAT(Try(GetParam().actor, WithNumber(field, 99)), StatusIs(Code::kInvalidArgument, HasSubstr(field)));
  }
}

TEST_P(BadInputTest, TextOverItsLimit) {
  for (const auto& field : GetParam().names) {
    std::string text;
    for (int i = 0; i < 101; ++i) text += "名";
    EXPECT_THAT(Try(GetParam().actor, WithString(field, text)), StatusIs(Code::kInvalidArgument, HasSubstr(field)));
  }
  for (const auto& field : GetParam().texts) {
    std::string text;
    for (int i = 0; i < 2001; ++i) text += "字";
    EXPECT_THAT(Try(GetParam().actor, WithString(field, text)), StatusIs(Code::kInvalidArgument, HasSubstr(field)));
  }
}

TEST_P(BadInputTest, InvalidUtf8) {
  // JSON cannot carry invalid UTF-8, so the command is built directly.
  std::vector<std::string> fields = GetParam().names;
  fields.insert(fields.end(), GetParam().texts.begin(), GetParam().texts.end());
  if (fields.empty()) GTEST_SKIP() << "no text fields";
  for (const auto& field : fields) {
    auto line = ParseScenarioLine(absl::StrCat(R"({"cmd":")", GetParam().cmd, R"(","args":)", args_, "}"), "utf8");
    ASSERT_THAT(line.status(), testing::IsOk());
    auto& command = line->command;
    auto* request = command.GetReflection()->MutableMessage(
        &command, command.GetDescriptor()->FindFieldByName(GetParam().cmd));
    request->GetReflection()->SetString(request, request->GetDescriptor()->FindFieldByName(field), "ab\xff\xfe");
    EXPECT_THAT(h_.ledger().Execute(GetParam().actor, command).status(),
                StatusIs(Code::kInvalidArgument, HasSubstr(field)));
    EXPECT_EQ(h_.head(), head_);
  }
}

TEST_P(BadInputTest, OccurredAtInTheFuture) {
  if (!GetParam().occurred_at) GTEST_SKIP() << "no occurred_at";
  // The clerk is told the server's time, to see whether the date or the offset is wrong.
  EXPECT_THAT(Try(GetParam().actor, WithString("occurred_at", h_.At(6))),
              StatusIs(Code::kInvalidArgument,
                       HasSubstr(absl::StrCat("occurred_at' (", absl::FormatTime(absl::RFC3339_full, h_.clock().Now() + absl::Minutes(6), absl::UTCTimeZone()),
                                              ") is more than 5 minutes in the future: the server's time is ",
                                              absl::FormatTime(absl::RFC3339_full, h_.clock().Now(), absl::UTCTimeZone())))));
  EXPECT_THAT(Try(GetParam().actor, WithString("occurred_at", "yesterday")),
              StatusIs(Code::kInvalidArgument, HasSubstr("occurred_at")));
}

TEST_P(BadInputTest, ReferencesToNothing) {
  if (GetParam().project) {
    EXPECT_THAT(Try(GetParam().actor, WithString("project_id", "NOPE")),
                StatusIs(Code::kNotFound, HasSubstr("project 'NOPE'")));
  }
  for (const auto& field : GetParam().missing_refs) {
    EXPECT_THAT(Try(GetParam().actor, WithString(field, "NO-SUCH")), StatusIs(Code::kNotFound, HasSubstr("NO-SUCH")))
        << field;
  }
}

TEST_P(BadInputTest, WrongRoleAndOtherProject) {
  EXPECT_THAT(Try(GetParam().wrong_role, args_), StatusIs(Code::kPermissionDenied, HasSubstr(GetParam().wrong_role)));
  if (GetParam().project) {
    EXPECT_THAT(Try("kf09", args_), StatusIs(Code::kPermissionDenied, HasSubstr("not assigned to project BJF")));
  }
}

TEST_P(BadInputTest, RequestOverOneMebibyte) {
  EXPECT_THAT(Try(GetParam().actor, WithString("padding", std::string((1 << 20) + 1, 'x'))),
              StatusIs(Code::kResourceExhausted, HasSubstr("1 MiB")));
}

TEST_P(BadInputTest, TheValidRequestIsAccepted) {
  auto outcome = h_.Run(GetParam().actor, GetParam().cmd, args_);
  ASSERT_THAT(outcome.status(), testing::IsOk());
  EXPECT_EQ(outcome->event.seq(), head_ + 1);
  EXPECT_EQ(h_.head(), head_ + 1);
}

// Every command with every role (SPEC.md §1 and each command's roles column, written out here
// independently of the code), on a real ledger: allowed roles get past the role check and the
// regional administrator's reach, all others are PERMISSION_DENIED.
const std::map<std::string, std::set<std::string>>& AllowedRoles() {
  static const auto* allowed = new std::map<std::string, std::set<std::string>>{
      {"define_region", {"ADMIN"}}, {"define_project", {"ADMIN"}}, {"move_project_region", {"ADMIN"}},
      {"add_person", {"ADMIN", "REGION_ADMIN"}}, {"update_person", {"ADMIN", "REGION_ADMIN"}},
      {"set_project_leads", {"ADMIN", "REGION_ADMIN"}}, {"issue_token", {"ADMIN", "REGION_ADMIN"}},
      {"revoke_token", {"ADMIN", "REGION_ADMIN"}},
      {"set_policy", {"ADMIN", "FINANCE_LEAD"}},
      {"define_unit", {"CUSTOMER_SERVICE"}}, {"define_payment_plan", {"CUSTOMER_SERVICE"}},
      {"change_list_price", {"CUSTOMER_SERVICE"}}, {"review_setup", {"SALES_LEAD"}},
      {"confirm_setup", {"MARKETING"}}, {"set_unit_hold", {"SALES_LEAD"}},
      {"register_customer", {"CONSULTANT", "CUSTOMER_SERVICE"}}, {"log_visit", {"CONSULTANT", "CUSTOMER_SERVICE"}},
      {"reserve_unit", {"CUSTOMER_SERVICE"}}, {"cancel_reservation", {"CUSTOMER_SERVICE"}},
      {"create_subscription", {"CUSTOMER_SERVICE"}}, {"sign_contract", {"CUSTOMER_SERVICE"}},
      {"request_change", {"CUSTOMER_SERVICE"}}, {"decide_change", {"SALES_LEAD"}},
      {"record_payment", {"CASHIER"}}, {"refund_payment", {"CASHIER"}}, {"transfer_payment", {"CASHIER"}},
      {"approve_audit", {"ACCOUNTANT"}}, {"reject_audit", {"ACCOUNTANT"}}, {"unlock_record", {"ACCOUNTANT"}},
      {"register_invoice", {"ACCOUNTANT"}}, {"record_service_step", {"TITLE_MORTGAGE"}},
      {"set_sales_plan", {"MARKETING"}}, {"record_plan_feedback", {"MARKETING"}},
      {"record_marketing_spend", {"MARKETING"}}, {"record_competitor", {"MARKETING"}},
      {"decide_void", {"SALES_LEAD"}},  // the case voids a visit, a sales entry
      {"run_inspection", {"INSPECTOR"}}, {"waive_violation", {"FINANCE_LEAD"}},
      {"declare_outage", {"FINANCE_LEAD"}}, {"withdraw_outage", {"FINANCE_LEAD"}},
      {"print_document", {"CASHIER"}},  // the case prints a payment's receipt
      {"server_started", {}},  // by no role: ledgerd alone, as the system principal
  };
  return *allowed;
}

TEST_P(BadInputTest, EveryRoleIsAllowedOrDeniedExactly) {
  auto allowed = AllowedRoles().find(GetParam().cmd);
  if (allowed == AllowedRoles().end()) {
    GTEST_SKIP() << GetParam().cmd << ": the entry's maker or the token's holder, whatever the role";
  }
  const std::vector<std::string> roles = {"CONSULTANT",   "CUSTOMER_SERVICE", "SALES_LEAD", "CASHIER", "ACCOUNTANT",
                                          "TITLE_MORTGAGE", "MARKETING",      "INSPECTOR",  "FINANCE_LEAD",
                                          "AUDITOR",      "ADMIN",            "REGION_ADMIN", "MANAGER"};
  // A regional administrator and a manager of a region that holds BJF, so that the region's
  // commands reach past the role check exactly when the role allows them.
  ASSERT_THAT(h_.Do("admin", "define_region", R"({"region_id":"R-BJF","name":"滨江区"})"), testing::IsOk());
  ASSERT_THAT(h_.Do("admin", "move_project_region", R"({"project_id":"BJF","region_id":"R-BJF"})"), testing::IsOk());
  for (const auto& role : roles) {
    const std::string person = "role-" + role;
    const bool regional = role == "REGION_ADMIN" || role == "MANAGER";
    ASSERT_THAT(h_.Do("admin", "add_person",
                      absl::StrCat(R"({"person_id":")", person, R"(","name":"x","roles":[")", role,
                                   R"("],"project_ids":["BJF"])", regional ? R"(,"region_ids":["R-BJF"]})" : "}")),
                testing::IsOk());
    const absl::Status s = h_.Do(person, GetParam().cmd, args_);
    if (allowed->second.contains(role)) {
      EXPECT_NE(s.code(), Code::kPermissionDenied) << role << " may " << GetParam().cmd << ": " << s;
    } else {
      EXPECT_THAT(s, StatusIs(Code::kPermissionDenied, HasSubstr(person))) << role << " may not " << GetParam().cmd;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryCommand, BadInputTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.cmd; });

}  // namespace
}  // namespace salesledger
