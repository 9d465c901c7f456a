// Issue 20: a customer's name and phone are sealed under the customer's own key, and erasing them
// (ADMIN asks, another person, a FINANCE_LEAD, approves) destroys the key: the chain and the tree
// still verify, the money stays, and nothing of the name or phone is left in the data dir.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "queries/customers.h"
#include "queries/payments.h"
#include "services/personal_data.h"
#include "services/tree_audit.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using testing::IsOk;
using testing::IsOkAndHolds;
using testing::StatusIs;
using ::testing::HasSubstr;
using Code = absl::StatusCode;

constexpr char kName[] = "赵敏捷";
constexpr char kPhone[] = "13912345678";

// The files under `dir` that hold `needle`, byte for byte.
std::vector<std::string> FilesHolding(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (content.str().find(needle) != std::string::npos) found.push_back(f.path().string());
  }
  return found;
}

class ErasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.clock().Advance(absl::Hours(25));  // 2026-03-02 10:00 local
    h_.Must("gw01", "register_customer",
            absl::StrCat(R"({"project_id":"BJF","customer_id":"C7","name":")", kName, R"(","phone":"139-1234-5678",)",
                         R"("consultant_id":"gw01","source":"VISIT"})"));
    h_.Must("gw01", "log_visit",
            R"({"project_id":"BJF","visit_id":"V7","customer_id":"C7","consultant_id":"gw01","kind":"VISIT","occurred_at":"2026-03-02T09:58:00+08:00"})");
    h_.Must("kf01", "create_subscription",
            R"({"project_id":"BJF","subscription_id":"S7","unit_id":"A1-1202","customer_ids":["C7"],"consultant_id":"gw01","price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"2026-03-02T09:59:00+08:00"})");
    h_.Must("sy01", "record_payment",
            R"({"project_id":"BJF","payment_id":"P7","customer_id":"C7","subscription_id":"S7","kind":"DEPOSIT","amount_fen":5000000,"method":"CARD","occurred_at":"2026-03-02T09:59:30+08:00"})");
    h_.Must("sy01", "print_document", R"({"project_id":"BJF","kind":"RECEIPT","document_id":"P7"})");
  }

  absl::StatusOr<v1::CustomerView> Customer(const std::string& id, const std::string& reader) {
    v1::GetCustomerRequest r;
    r.set_project_id("BJF");
    r.set_customer_id(id);
    return h_.Read([&](const State& s) {
      return GetCustomer(s, r, s.org.people.at(reader), h_.ledger().personal_fields());
    });
  }

  testing::LedgerHarness h_;
};

TEST_F(ErasureTest, TheLogHoldsTheNameAndPhoneSealedAndTheViewsOpenThem) {
  auto c = Customer("C7", "gw01");
  ASSERT_THAT(c.status(), IsOk());
  EXPECT_EQ(c->name(), kName);
  EXPECT_EQ(c->phone(), kPhone);
  EXPECT_EQ(Customer("C7", "gw02")->phone(), "139****5678");
  // 撞单 by the keyed index: the same digits, written another way.
  EXPECT_THAT(h_.Do("gw02", "register_customer",
                    R"({"project_id":"BJF","customer_id":"C8","name":"某","phone":"+139 1234 5678","consultant_id":"gw02","source":"CALL"})"),
              StatusIs(Code::kAlreadyExists, HasSubstr("phone 139****5678 is already registered (customer C7, consultant gw01)")));
  // A client may not fill what the ledger seals.
  EXPECT_THAT(h_.Do("gw02", "register_customer",
                    R"({"project_id":"BJF","customer_id":"C8","name":"某","phone":"13700000000","consultant_id":"gw02","source":"CALL","phone_index":"AAAA"})"),
              StatusIs(Code::kInvalidArgument, HasSubstr("field 'phone_index' is the ledger's to fill")));
  ASSERT_THAT(h_.ledger().Checkpoint(), IsOk());
  EXPECT_THAT(FilesHolding(h_.data_dir(), "滨江府"), ::testing::Not(::testing::IsEmpty()));  // the search sees the log
  EXPECT_THAT(FilesHolding(h_.data_dir(), kName), ::testing::IsEmpty());
  EXPECT_THAT(FilesHolding(h_.data_dir(), kPhone), ::testing::IsEmpty());
}

TEST_F(ErasureTest, AnErasureNeedsAnAdministratorAndAnotherPersonFromFinance) {
  const std::string erase = R"({"project_id":"BJF","customer_id":"C7","reason":"客户要求删除（个人信息保护法第四十七条）"})";
  const std::string approve = R"({"project_id":"BJF","customer_id":"C7","approve":true})";
  EXPECT_THAT(h_.Do("gw01", "erase_customer_data", erase),
              StatusIs(Code::kPermissionDenied, HasSubstr("gw01 may not erase_customer_data: it needs role ADMIN")));
  EXPECT_THAT(h_.Do("cw01", "decide_erasure", approve),
              StatusIs(Code::kFailedPrecondition, HasSubstr("no erasure of customer C7 is pending")));
  EXPECT_THAT(h_.Do("admin", "erase_customer_data", R"({"project_id":"BJF","customer_id":"C99","reason":"x"})"),
              StatusIs(Code::kNotFound, HasSubstr("C99")));
  const uint64_t asked = h_.Must("admin", "erase_customer_data", erase);
  EXPECT_THAT(h_.Do("admin", "erase_customer_data", erase),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr(absl::StrCat("an erasure of customer C7 is pending (asked by admin at seq ", asked))));
  EXPECT_THAT(h_.Do("admin", "decide_erasure", approve),
              StatusIs(Code::kPermissionDenied, HasSubstr("it needs role FINANCE_LEAD")));
  // Nothing is erased while it is pending.
  EXPECT_EQ(Customer("C7", "gw01")->name(), kName);
  EXPECT_EQ(Customer("C7", "gw01")->erasure_requested_by(), "admin");
  const uint64_t erased = h_.Must("cw01", "decide_erasure", approve);
  EXPECT_THAT(h_.Do("admin", "erase_customer_data", erase),
              StatusIs(Code::kFailedPrecondition,
                       HasSubstr(absl::StrCat("the personal data of customer C7 was erased at seq ", erased))));
  EXPECT_THAT(h_.Do("cw02", "decide_erasure", approve), StatusIs(Code::kFailedPrecondition, HasSubstr("was erased at seq")));

  // One person holding both roles cannot approve their own request.
  h_.Must("admin", "add_person", R"({"person_id":"boss","name":"老板","roles":["ADMIN","FINANCE_LEAD"]})");
  h_.Must("boss", "erase_customer_data", R"({"project_id":"BJF","customer_id":"C2","reason":"客户要求"})");
  EXPECT_THAT(h_.Do("boss", "decide_erasure", R"({"project_id":"BJF","customer_id":"C2","approve":true})"),
              StatusIs(Code::kPermissionDenied, HasSubstr("boss asked for the erasure of customer C2")));
  // A rejection leaves the data and lets the request be made again.
  h_.Must("cw02", "decide_erasure", R"({"project_id":"BJF","customer_id":"C2","approve":false})");
  EXPECT_FALSE(Customer("C2", "admin")->erased());
  EXPECT_THAT(h_.Do("boss", "erase_customer_data", R"({"project_id":"BJF","customer_id":"C2","reason":"再次"})"), IsOk());
}

TEST_F(ErasureTest, AnErasedCustomerLeavesTheMoneyAndTheProofsAndNoTraceOfTheNameOrPhone) {
  v1::GetPaymentRequest pr;
  pr.set_project_id("BJF");
  pr.set_payment_id("P7");
  const std::string payment_before = h_.Read([&](const State& s) { return GetPayment(s, pr)->DebugString(); });

  h_.Must("admin", "erase_customer_data", R"({"project_id":"BJF","customer_id":"C7","reason":"客户要求删除"})");
  h_.Must("cw01", "decide_erasure", R"({"project_id":"BJF","customer_id":"C7","approve":true})");

  for (const char* reader : {"gw01", "admin", "sj01"}) {
    auto c = Customer("C7", reader);
    ASSERT_THAT(c.status(), IsOk());
    EXPECT_EQ(c->name(), "已删除") << reader;
    EXPECT_EQ(c->phone(), "") << reader;
    EXPECT_TRUE(c->erased()) << reader;
    ASSERT_EQ(c->visits_size(), 1);
    EXPECT_EQ(c->visits(0).visit_id(), "V7");
  }
  EXPECT_EQ(h_.Read([&](const State& s) { return GetPayment(s, pr)->DebugString(); }), payment_before);
  EXPECT_THAT(h_.ledger().log().VerifyChain(0, 0).status(), IsOk());
  EXPECT_THAT(AuditTree(h_.ledger().log(), h_.ledger().tree_heads().verifier()).status(), IsOk());

  // The phone is free again.
  EXPECT_THAT(h_.Do("gw02", "register_customer",
                    R"({"project_id":"BJF","customer_id":"C8","name":"新客户","phone":"13912345678","consultant_id":"gw02","source":"CALL"})"),
              IsOk());
  // After a checkpoint and a restart (which re-applies the erasure to the key store), nothing of
  // the name or phone anywhere under the data dir: log, checkpoints, key store, write-ahead logs.
  ASSERT_THAT(h_.ledger().Checkpoint(), IsOk());
  h_.Reopen();
  EXPECT_EQ(Customer("C7", "admin")->name(), "已删除");
  EXPECT_EQ(Customer("C8", "admin")->phone(), kPhone);
  EXPECT_THAT(FilesHolding(h_.data_dir(), kName), ::testing::IsEmpty());
  EXPECT_THAT(FilesHolding(h_.data_dir(), kPhone), ::testing::IsEmpty());
  EXPECT_THAT(FilesHolding(h_.data_dir(), "5678"), ::testing::IsEmpty());
}

// A backup taken before the erasure still holds the key; restoring it with the erasures recorded
// since (a newer backup's erasures.tsv) destroys it before the restored ledger serves.
TEST_F(ErasureTest, ARestoredOlderBackupForgetsTheErasedCustomerOnceTheErasuresAreReapplied) {
  const std::filesystem::path scratch = std::filesystem::path(h_.data_dir()).parent_path();
  ASSERT_THAT(h_.ledger().Backup((scratch / "before").string()).status(), IsOk());
  h_.Must("admin", "erase_customer_data", R"({"project_id":"BJF","customer_id":"C7","reason":"客户要求删除"})");
  const uint64_t erased = h_.Must("cw01", "decide_erasure", R"({"project_id":"BJF","customer_id":"C7","approve":true})");
  ASSERT_THAT(h_.ledger().Backup((scratch / "after").string()).status(), IsOk());
  std::ifstream in(scratch / "after" / "erasures.tsv");
  std::stringstream list;
  list << in.rdbuf();
  EXPECT_EQ(list.str(), absl::StrCat("BJF\tC7\t", erased, "\n"));

  auto name_in = [&](const std::filesystem::path& dir) {
    LedgerOptions options;
    options.data_dir = dir.string();
    options.clock = &h_.clock();
    auto ledger = Ledger::Open(options);
    EXPECT_THAT(ledger.status(), IsOk());
    v1::GetCustomerRequest r;
    r.set_project_id("BJF");
    r.set_customer_id("C7");
    return (*ledger)->Read([&](const State& s) {
      return GetCustomer(s, r, s.org.people.at("admin"), (*ledger)->personal_fields())->name();
    });
  };
  std::filesystem::copy(scratch / "before", scratch / "as-is", std::filesystem::copy_options::recursive);
  EXPECT_EQ(name_in(scratch / "as-is"), kName);  // what the old backup holds

  std::filesystem::copy(scratch / "before", scratch / "restored", std::filesystem::copy_options::recursive);
  EXPECT_THAT(PersonalData::ReapplyErasures((scratch / "restored").string(), list.str()), IsOkAndHolds(1u));
  EXPECT_EQ(name_in(scratch / "restored"), "已删除");
  EXPECT_THAT(FilesHolding((scratch / "restored").string(), kName), ::testing::IsEmpty());
  EXPECT_THAT(FilesHolding((scratch / "restored").string(), kPhone), ::testing::IsEmpty());
  EXPECT_THAT(PersonalData::ReapplyErasures((scratch / "restored").string(), "BJF C7\n"),
              StatusIs(Code::kInvalidArgument, HasSubstr("erasure list line 1")));
}

}  // namespace
}  // namespace salesledger
