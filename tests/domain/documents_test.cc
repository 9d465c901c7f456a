// Printing from the system (SPEC.md §3.11) on an in-memory state: who may print what, and what
// the print event says the page holds. The cast's last event is seq 27.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/domain_harness.h"

namespace salesledger::testing {
namespace {

constexpr char kSubscribe[] =
    R"({"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1201","customer_ids":["C1","C2"],"consultant_id":"gw01",)"
    R"("price_fen":190000000,"payment_plan_id":"MORTGAGE30","occurred_at":"$AT[-5]"})";
constexpr char kDeposit[] =
    R"({"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT",)"
    R"("amount_fen":10000005,"method":"CARD","occurred_at":"$AT[-2]"})";

std::string Print(const std::string& kind, const std::string& id, const std::string& project = "BJF") {
  return R"({"project_id":")" + project + R"(","kind":")" + kind + R"(","document_id":")" + id + R"("})";
}

class DocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Must("kf01", "create_subscription", kSubscribe);  // 28
    h_.Must("sy01", "record_payment", kDeposit);         // 29: receipt BJF-R000001
  }
  DomainHarness h_;
};

TEST_F(DocumentsTest, WhoMayPrintWhat) {
  RunSteps(h_, {
      {"a consultant prints no receipt", "gw01", "print_document", Print("RECEIPT", "P1"), kPermissionDenied,
       "gw01 may not print_document: it needs role CUSTOMER_SERVICE or CASHIER"},
      {"customer service prints no receipt", "kf01", "print_document", Print("RECEIPT", "P1"), kPermissionDenied,
       "kf01 may not print a receipt: it needs role CASHIER"},
      {"a cashier prints no agreement", "sy01", "print_document", Print("SUBSCRIPTION", "S1"), kPermissionDenied,
       "sy01 may not print a subscription agreement: it needs role CUSTOMER_SERVICE"},
      {"the kind is required", "sy01", "print_document", R"({"project_id":"BJF","document_id":"P1"})",
       kInvalidArgument, "field 'kind' is required"},
      {"the document id is required", "sy01", "print_document", R"({"project_id":"BJF","kind":"RECEIPT"})",
       kInvalidArgument, "field 'document_id' is required"},
      {"no such payment", "sy01", "print_document", Print("RECEIPT", "P9"), kNotFound,
       "payment 'P9' not found in project BJF"},
      {"no such refund", "sy01", "print_document", Print("REFUND_RECEIPT", "R9"), kNotFound,
       "refund 'R9' not found in project BJF"},
      {"no such subscription", "kf01", "print_document", Print("SUBSCRIPTION", "S9"), kNotFound,
       "subscription 'S9' not found in project BJF"},
      {"only on one's own projects", "kf09", "print_document", Print("RECEIPT", "P1"), kPermissionDenied,
       "kf09 is not assigned to project BJF"},
      {"the receipt (seq 30)", "sy01", "print_document", Print("RECEIPT", "P1")},
      {"the agreement (seq 31)", "kf01", "print_document", Print("SUBSCRIPTION", "S1")},
  });
}

TEST_F(DocumentsTest, TheReceiptHoldsWhatThePaymentSaysAndReprintsAreCopies) {
  auto first = h_.Run("sy01", "print_document", Print("RECEIPT", "P1"));
  ASSERT_TRUE(first.ok()) << first.status();
  const v1::DocumentPrinted& d = first->print_document();
  EXPECT_EQ(d.kind(), v1::DocumentKind::RECEIPT);
  EXPECT_EQ(d.copy(), 1u);
  EXPECT_EQ(d.entry_seq(), 29u);
  EXPECT_EQ(d.document_no(), "BJF-R000001");
  EXPECT_EQ(d.company(), "滨江府");  // no company given: the project's name
  EXPECT_EQ(d.project_name(), "滨江府");
  EXPECT_EQ(d.time_zone(), "Asia/Shanghai");
  ASSERT_EQ(d.parties_size(), 1);
  EXPECT_EQ(d.parties(0).customer_id(), "C1");
  EXPECT_EQ(d.parties(0).name(), "王");
  EXPECT_EQ(d.unit_id(), "A1-1201");
  EXPECT_EQ(d.building(), "A1");
  EXPECT_EQ(d.floor(), 12);
  EXPECT_EQ(d.payment_kind(), v1::RecordPaymentRequest::DEPOSIT);
  EXPECT_EQ(d.method(), v1::RecordPaymentRequest::CARD);
  EXPECT_EQ(d.amount_fen(), 10000005);
  EXPECT_EQ(d.staff_id(), "sy01");
  EXPECT_EQ(d.staff_name(), "苏收银");
  EXPECT_EQ(d.occurred_at().seconds(), absl::ToUnixSeconds(h_.now() - absl::Minutes(2)));
  EXPECT_FALSE(d.voided());
  EXPECT_EQ(first->project_id(), "BJF");
  EXPECT_EQ(h_.state().FindProject("BJF")->prints.at(PrintKey(v1::DocumentKind::RECEIPT, "P1")).copies, 1u);

  h_.Must("sy01", "refund_payment",
          R"({"project_id":"BJF","refund_id":"R1","payment_id":"P1","amount_fen":200000,"reason":"多收","occurred_at":"$NOW"})");
  auto second = h_.Run("sy01", "print_document", Print("RECEIPT", "P1"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->print_document().copy(), 2u);
  EXPECT_EQ(second->print_document().refunded_fen(), 200000);
  const PrintRecord& prints = h_.state().FindProject("BJF")->prints.at(PrintKey(v1::DocumentKind::RECEIPT, "P1"));
  EXPECT_EQ(prints.copies, 2u);
  EXPECT_EQ(prints.first_seq, first->seq());

  auto refund = h_.Run("sy01", "print_document", Print("REFUND_RECEIPT", "R1"));
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->print_document().copy(), 1u);  // another document, its own copies
  EXPECT_EQ(refund->print_document().amount_fen(), 200000);
  EXPECT_EQ(refund->print_document().related_no(), "BJF-R000001");
  EXPECT_EQ(refund->print_document().document_no(), "R1");
}

TEST_F(DocumentsTest, TheAgreementNamesEveryBuyerTheUnitAndThePlan) {
  auto print = h_.Run("kf01", "print_document", Print("SUBSCRIPTION", "S1"));
  ASSERT_TRUE(print.ok()) << print.status();
  const v1::DocumentPrinted& d = print->print_document();
  EXPECT_EQ(d.entry_seq(), 28u);
  ASSERT_EQ(d.parties_size(), 2);
  EXPECT_EQ(d.parties(1).name(), "李");
  EXPECT_EQ(d.area_x100(), 8937);
  EXPECT_EQ(d.product_type(), "住宅");
  EXPECT_EQ(d.amount_fen(), 190000000);
  EXPECT_EQ(d.list_price_fen(), 198000000);
  EXPECT_EQ(d.payment_plan_name(), "按揭");
  EXPECT_EQ(d.consultant_name(), "顾一");
}

TEST_F(DocumentsTest, AVoidedPaymentPrintsStampedVoided) {
  h_.Must("sy01", "request_void", R"({"project_id":"BJF","void_id":"VD1","target_seq":29,"reason":"录错"})");
  h_.Must("kj01", "decide_void", R"({"project_id":"BJF","void_id":"VD1","approve":true})");
  auto print = h_.Run("sy01", "print_document", Print("RECEIPT", "P1"));
  ASSERT_TRUE(print.ok()) << print.status();
  EXPECT_TRUE(print->print_document().voided());
}

}  // namespace
}  // namespace salesledger::testing
