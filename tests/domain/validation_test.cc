// Field checks (domain/validation.h): the words a clerk reads for each kind of bad field, and the
// Timestamp ranges of every command (defect: nanos outside 0..999,999,999 used to be accepted).
#include "domain/validation.h"

#include "base/time_proto.h"
#include "domain/decide.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger::testing {
namespace {

using ::testing::HasSubstr;

TEST(ValidationTest, AnIdNamesItsFirstBadCharacterByPosition) {
  struct Row {
    std::string value;
    absl::StatusCode code;
    std::string message;
  };
  const std::vector<Row> rows = {
      {"BU-1", kOk, ""},
      {"a.b_c:d-E9", kOk, ""},
      {"", kInvalidArgument, "field 'unit_id' is required"},
      {"BU 1", kInvalidArgument, "field 'unit_id' = 'BU 1': character 3 is a space; allowed are A-Z a-z 0-9 . _ : -"},
      {"房号1", kInvalidArgument, "field 'unit_id' = '房号1': character 1 is '房'; allowed are"},
      {"A房", kInvalidArgument, "character 2 is '房'"},
      {"ab\x07", kInvalidArgument, "character 3 is the control byte 0x07"},
      {"ab\xff", kInvalidArgument, "character 3 is the byte 0xff, which is not UTF-8"},
      {"x/y", kInvalidArgument, "character 2 is '/'"},
      {std::string(64, 'x'), kOk, ""},
      {std::string(65, 'x'), kInvalidArgument, "field 'unit_id' has 65 characters; at most 64 are allowed"},
  };
  for (const Row& r : rows) {
    EXPECT_THAT(CheckId("unit_id", r.value), StatusIs(r.code, HasSubstr(r.message))) << r.value;
  }
  // A long bad value is quoted cut short.
  EXPECT_THAT(CheckId("unit_id", std::string(100, 'x') + " "),
              StatusIs(kInvalidArgument, HasSubstr("...' (101 bytes): character 101 is a space")));
}

TEST(ValidationTest, TextMoneyMonthsAndPhones) {
  EXPECT_THAT(CheckName("name", std::string(101, 'a')),
              StatusIs(kInvalidArgument, HasSubstr("field 'name' has 101 characters; at most 100 are allowed")));
  EXPECT_THAT(CheckText("note", "ok\xc0\xaf"), StatusIs(kInvalidArgument, HasSubstr("field 'note' is not valid UTF-8")));
  EXPECT_THAT(CheckText("note", "", false), IsOk());
  EXPECT_THAT(CheckMoney("amount_fen", -5),
              StatusIs(kInvalidArgument, HasSubstr("field 'amount_fen' must be more than 0 and at most 10^12 fen; got -5")));
  EXPECT_THAT(CheckMoney("amount_fen", kMaxMoneyFen), IsOk());
  EXPECT_THAT(CheckMonth("month", "2026-3"), StatusIs(kInvalidArgument, HasSubstr("must be a month YYYY-MM; got '2026-3'")));
  EXPECT_EQ(*NormalizePhone("(021) 6888-1234"), "02168881234");
  EXPECT_THAT(NormalizePhone("1234"), StatusIs(kInvalidArgument, HasSubstr("field 'phone' must have 5-20 digits; got 4")));
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
}

// Every Timestamp field of every command is range-checked before anything else but the role:
// protobuf's own limits, seconds 0001-01-01..9999-12-31 and nanos 0..999,999,999.
TEST(ValidationTest, EveryTimestampOfEveryCommandIsInRange) {
  DomainHarness h;
  h.Must("admin", "add_person",
         R"({"person_id":"all","name":"x","roles":["CONSULTANT","CUSTOMER_SERVICE","SALES_LEAD","CASHIER","ACCOUNTANT",)"
         R"("TITLE_MORTGAGE","MARKETING","INSPECTOR","FINANCE_LEAD","AUDITOR","ADMIN"],"project_ids":["BJF"]})");
  int checked = 0;
  const auto* oneof = v1::Command::descriptor()->FindOneofByName("command");
  for (int i = 0; i < oneof->field_count(); ++i) {
    const auto* command_field = oneof->field(i);
    const auto* request_type = command_field->message_type();
    for (int j = 0; j < request_type->field_count(); ++j) {
      const auto* f = request_type->field(j);
      if (f->message_type() != google::protobuf::Timestamp::descriptor()) continue;
      struct Bad {
        int64_t seconds;
        int32_t nanos;
        std::string message;
      };
      for (const Bad& bad : {Bad{1772326800, 1000000000, "its nanos (1000000000) lie outside 0..999999999"},
                             Bad{1772326800, -1, "its nanos (-1) lie outside 0..999999999"},
                             Bad{253402300800, 0, "its seconds (253402300800) lie outside 0001-01-01..9999-12-31"}}) {
        v1::Command command;
        auto* request = command.GetReflection()->MutableMessage(&command, command_field);
        auto* t = static_cast<google::protobuf::Timestamp*>(request->GetReflection()->MutableMessage(request, f));
        t->set_seconds(bad.seconds);
        t->set_nanos(bad.nanos);
        v1::Event event;
        event.set_seq(h.state().head_seq + 1);
        *event.mutable_recorded_at() = ToProto(h.now());
        EXPECT_THAT(DecideAs(h.state(), "all", command, std::string(32, 't'), event),
                    StatusIs(kInvalidArgument,
                             HasSubstr(absl::StrCat("field '", f->name(), "' is not a valid timestamp: ", bad.message))))
            << command_field->name() << "." << f->name();
        ++checked;
      }
    }
  }
  // The 11 commands with an occurred_at, declare_outage's from and to, server_started's last_recorded_at.
  EXPECT_EQ(checked, 3 * 14);
}

}  // namespace
}  // namespace salesledger::testing
