// Events: 1 genesis, 2 ledgerd's start, 3 the project, 4..10 people, 11..16 tokens, 17..21 units,
// plan and customers, 22 review, 23 confirmation, 24 the subscription S1, 25 the payment P1, 26 the
// payment P2.
//
// Paper end to end, against a real ledgerd and as people would check it: a cashier prints a
// receipt from the ledger and a specialist the 认购书 (ledgerctl print), the pages are read with
// pdftotext and their QR codes with zbarimg, an auditor verifies them (ledgerctl verify-document),
// and forged pages — an amount changed, the QR code of another entry pasted on — are caught.
#include <signal.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "documents/document_pdf.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "salesledger/v1/audit.grpc.pb.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/temp_dir.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string Ago(absl::Duration d) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+08:00", absl::Now() - d, absl::FixedTimeZone(8 * 3600));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class DocumentsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, Data());
    std::string out;
    ASSERT_EQ(Ctl("import --quiet " + File("org.jsonl", absl::StrCat(
        R"({"cmd":"define_project","args":{"project_id":"BJF","name":"滨江府","company":"杭州滨江置业有限公司"}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"cw01","name":"陈财务","roles":["FINANCE_LEAD"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"sy01","name":"苏收银","roles":["CASHIER"],"supervisor_id":"cw01","project_ids":["BJF"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"kf01","name":"柯客服","roles":["CUSTOMER_SERVICE"],"project_ids":["BJF"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"gw01","name":"顾一","roles":["CONSULTANT"],"project_ids":["BJF"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"xs01","name":"许销售","roles":["SALES_LEAD"],"project_ids":["BJF"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"yx01","name":"杨营销","roles":["MARKETING"],"project_ids":["BJF"]}})", "\n",
        R"({"cmd":"add_person","args":{"person_id":"sj01","name":"审计","roles":["AUDITOR"]}})", "\n")), &out), 0) << out;
    for (const char* person : {"sy01", "kf01", "gw01", "xs01", "yx01", "sj01"}) {
      ASSERT_EQ(Ctl(absl::StrCat("token issue --person ", person, " --token-id t-", person), &out), 0) << out;
      std::ofstream(Token(person)) << out;
    }
    ASSERT_EQ(Ctl("import --quiet " + File("setup.jsonl", absl::StrCat(
        R"({"cmd":"define_unit","args":{"project_id":"BJF","unit_id":"A1-1203","building":"A1","floor":12,"room":"03","product_type":"住宅","area_x100":8950,"list_price_fen":198000000}})", "\n",
        R"({"cmd":"define_unit","args":{"project_id":"BJF","unit_id":"A1-1204","building":"A1","floor":12,"room":"04","product_type":"住宅","area_x100":9120,"list_price_fen":201000000}})", "\n",
        R"({"cmd":"define_payment_plan","args":{"project_id":"BJF","plan_id":"M30","name":"商业按揭30年","kind":"MORTGAGE","discount_bp":0}})", "\n",
        R"({"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C1","name":"王芳","phone":"13800000001","consultant_id":"gw01","source":"VISIT"}})", "\n",
        R"({"cmd":"register_customer","args":{"project_id":"BJF","customer_id":"C2","name":"李强","phone":"13900000002","consultant_id":"gw01","source":"CALL"}})", "\n")),
                  &out, "kf01"), 0) << out;
    ASSERT_EQ(Ctl("import --quiet " + File("review.jsonl", R"({"cmd":"review_setup","args":{"project_id":"BJF","item_ids":["A1-1203","A1-1204","M30"],"approve":true}})" "\n"), &out, "xs01"), 0) << out;
    ASSERT_EQ(Ctl("import --quiet " + File("confirm.jsonl", R"({"cmd":"confirm_setup","args":{"project_id":"BJF","item_ids":["A1-1203","A1-1204","M30"]}})" "\n"), &out, "yx01"), 0) << out;
    ASSERT_EQ(Ctl("import --quiet " + File("subscribe.jsonl", absl::StrCat(
        R"({"cmd":"create_subscription","args":{"project_id":"BJF","subscription_id":"S1","unit_id":"A1-1203","customer_ids":["C1","C2"],"consultant_id":"gw01","price_fen":198000000,"payment_plan_id":"M30","occurred_at":")", Ago(absl::Minutes(3)), R"("}})", "\n")),
                  &out, "kf01"), 0) << out;
    // P1 taken and entered at once; P2 taken three hours before it was typed in.
    ASSERT_EQ(Ctl("import --quiet " + File("pay.jsonl", absl::StrCat(
        R"({"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P1","customer_id":"C1","subscription_id":"S1","kind":"DEPOSIT","amount_fen":10000005,"method":"CARD","occurred_at":")", Ago(absl::Minutes(1)), R"("}})", "\n",
        R"({"cmd":"record_payment","args":{"project_id":"BJF","payment_id":"P2","customer_id":"C2","subscription_id":"S1","kind":"HOUSE_PAYMENT","amount_fen":30010000000,"method":"TRANSFER","occurred_at":")", Ago(absl::Hours(3)), R"("}})", "\n")),
                  &out, "sy01"), 0) << out;
    ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " checkpoint key --data-dir ", Data(), " > ", Path("log.vkey")),
                                  &out), 0) << out;
  }
  void TearDown() override { EXPECT_EQ(ledgerd_->Stop(SIGTERM), 0); }

  std::string Data() const { return dir_.Sub("data"); }
  std::string Path(const std::string& name) const { return dir_.Sub(name); }
  std::string Token(const std::string& person) const { return dir_.Sub(person + ".token"); }
  std::string File(const std::string& name, const std::string& text) {
    std::ofstream(Path(name)) << text;
    return Path(name);
  }
  int Ctl(const std::string& args, std::string* out, const std::string& person = "") {
    return testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " ", args, " --server ", ledgerd_->address(),
                                            " --token-file ", person.empty() ? Data() + "/admin.token" : Token(person)),
                               out);
  }
  std::string PageText(const std::string& pdf) {
    std::string out;
    EXPECT_EQ(testing::RunCommand(absl::StrCat("pdftotext ", pdf, " -"), &out), 0) << out;
    return out;
  }
  std::string QrOf(const std::string& pdf) {
    std::string out;
    EXPECT_EQ(testing::RunCommand(absl::StrCat("pdftoppm -r 300 -png -singlefile ", pdf, " ", pdf), &out), 0) << out;
    EXPECT_EQ(testing::RunCommand(absl::StrCat("zbarimg --quiet --nodbus --raw -Sbinary ", pdf, ".png 2>/dev/null"), &out),
              0)
        << out;
    return out;
  }
  int Verify(const std::string& pdf, std::string* out) {
    return Ctl(absl::StrCat("verify-document ", pdf, " --key ", Path("log.vkey")), out, "sj01");
  }
  // The stored event `seq`, read as an auditor would.
  v1::Event EventAt(uint64_t seq) {
    auto audit = v1::AuditService::NewStub(ledgerd_->Channel());
    grpc::ClientContext ctx;
    testing::Authorize(ctx, ledgerd_->AdminToken());
    v1::ReadEventsRequest request;
    request.set_from_seq(seq);
    request.set_to_seq(seq);
    auto reader = audit->ReadEvents(&ctx, request);
    v1::ReadEventsResponse e;
    EXPECT_TRUE(reader->Read(&e));
    while (reader->Read(nullptr)) {
    }
    EXPECT_TRUE(reader->Finish().ok());
    e.mutable_event()->clear_hash();
    return e.event();
  }
  uint64_t PrintSeq(const std::string& ctl_output) {
    const size_t at = ctl_output.find("the print is entry ");
    return at == std::string::npos ? 0 : std::stoull(ctl_output.substr(at + 19));
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::LedgerdProcess> ledgerd_;
};

TEST_F(DocumentsE2eTest, AReceiptPrintedFromTheLedgerSaysWhatItSaysAndVerifies) {
  std::string out;
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P1 --out " + Path("p1.pdf"), &out, "sy01"), 0) << out;
  EXPECT_THAT(out, HasSubstr("printed BJF-R000001 (the original)"));
  const std::string text = PageText(Path("p1.pdf"));
  for (const char* expected : {"杭州滨江置业有限公司", "收据编号：BJF-R000001", "交款人：王芳（C1）",
                               "房号：A1-1203（A1栋 12层 03室）", "款项：定金", "金额（小写）：¥100,000.05",
                               "金额（大写）：人民币壹拾万元零伍分", "收款方式：刷卡", "收款人：苏收银（sy01）", "原件"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  const std::string qr = QrOf(Path("p1.pdf"));
  EXPECT_THAT(qr, StartsWith("salesledger document v1\nentry 25 "));  // the payment's seq
  EXPECT_THAT(qr, HasSubstr(absl::StrCat("\nprint ", PrintSeq(out), "\n")));
  EXPECT_EQ(Verify(Path("p1.pdf"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("OK: 收据编号 BJF-R000001 is entry 25 of "));
  EXPECT_THAT(out, HasSubstr("(原件); the page says what the ledger says"));

  // A reprint is counted and says so; the 认购书 by customer service.
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P1 --out " + Path("p1-again.pdf"), &out, "sy01"), 0) << out;
  EXPECT_THAT(out, HasSubstr("printed BJF-R000001 (补打 副本 2)"));
  EXPECT_THAT(PageText(Path("p1-again.pdf")), HasSubstr("补打 副本 2"));
  EXPECT_EQ(Verify(Path("p1-again.pdf"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("(补打 副本 2)"));
  ASSERT_EQ(Ctl("print subscription --project BJF --subscription S1 --out " + Path("s1.pdf"), &out, "kf01"), 0) << out;
  const std::string agreement = PageText(Path("s1.pdf"));
  EXPECT_THAT(agreement, HasSubstr("商品房认购书"));
  EXPECT_THAT(agreement, HasSubstr("买受人：王芳（C1）、李强（C2）"));
  EXPECT_THAT(agreement, HasSubstr("认购总价（大写）：人民币壹佰玖拾捌万元整"));
  EXPECT_THAT(QrOf(Path("s1.pdf")), StartsWith("salesledger document v1\nentry 24 "));
  EXPECT_EQ(Verify(Path("s1.pdf"), &out), 0) << out;

  // The wrong role, and a document that is not there: SPEC §4's codes, and nothing recorded.
  EXPECT_EQ(Ctl("print receipt --project BJF --payment P1 --out " + Path("x.pdf"), &out, "gw01"), 1);
  EXPECT_THAT(out, HasSubstr("gw01 may not print_document: it needs role CUSTOMER_SERVICE or CASHIER [PERMISSION_DENIED]"));
  EXPECT_EQ(Ctl("print subscription --project BJF --subscription S1 --out " + Path("x.pdf"), &out, "sy01"), 1);
  EXPECT_THAT(out, HasSubstr("sy01 may not print a subscription agreement: it needs role CUSTOMER_SERVICE"));
  EXPECT_EQ(Ctl("print receipt --project BJF --payment P9 --out " + Path("x.pdf"), &out, "sy01"), 1);
  EXPECT_THAT(out, HasSubstr("payment 'P9' not found in project BJF [NOT_FOUND]"));
}

TEST_F(DocumentsE2eTest, AForgedPageSaysWhatDoesNotMatch) {
  std::string out;
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P1 --out " + Path("p1.pdf"), &out, "sy01"), 0) << out;
  const v1::Event p1_print = EventAt(PrintSeq(out));
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P2 --out " + Path("p2.pdf"), &out, "sy01"), 0) << out;
  const v1::Event p2_print = EventAt(PrintSeq(out));
  const std::string p1_qr = QrOf(Path("p1.pdf"));

  // One digit of the amount changed, the page otherwise as printed, its QR code kept.
  v1::Event edited = p1_print;
  edited.mutable_print_document()->set_amount_fen(90000005);
  std::ofstream(Path("edited.pdf"), std::ios::binary) << *RenderDocumentPdf(edited, p1_qr);
  EXPECT_EQ(Verify(Path("edited.pdf"), &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("DIFFERS: 金额（小写）: the page says ¥900,000.05; the ledger says ¥100,000.05"));
  EXPECT_THAT(out, HasSubstr("DIFFERS: 金额（大写）: the page says 人民币玖拾万元零伍分; the ledger says 人民币壹拾万元零伍分"));
  EXPECT_THAT(out, HasSubstr("2 thing(s) on this page differ from the ledger's 收据编号 BJF-R000001"));

  // P2's page with P1's QR code pasted on it: the QR code is the ledger's P1, the page is not. The
  // log holds the payer's name sealed: the page is checked for the payer's id.
  v1::Event pasted = p2_print;
  pasted.mutable_print_document()->mutable_parties(0)->set_name("李强");
  std::ofstream(Path("pasted.pdf"), std::ios::binary) << *RenderDocumentPdf(pasted, p1_qr);
  EXPECT_EQ(Verify(Path("pasted.pdf"), &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("DIFFERS: 收据编号: the page says BJF-R000002; the ledger says BJF-R000001"));
  EXPECT_THAT(out, HasSubstr("DIFFERS: 交款人: the page says 李强（C2）; the ledger says （C1） (names sealed)"));
  EXPECT_THAT(out, HasSubstr("DIFFERS: 金额（大写）: the page says 人民币叁亿零壹拾万元整; the ledger says 人民币壹拾万元零伍分"));

  // A QR code whose leaf is not the entry's (a hash changed by hand).
  std::string bad_qr = p1_qr;
  const size_t leaf = bad_qr.find("entry 25 ") + 9;
  bad_qr[leaf] = bad_qr[leaf] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Ctl(absl::StrCat("verify-document --qr '", bad_qr, "' --key ", Path("log.vkey")), &out, "sj01"), 1) << out;
  EXPECT_THAT(out, HasSubstr("the page's QR code names leaf "));
  EXPECT_THAT(out, HasSubstr("the log's entry 25 has leaf"));
  // Another key does not trust the page's checkpoint.
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " witness keygen --name sales.example/other --out ",
                                             Path("other.key"), " > ", Path("other.vkey")),
                                &out),
            0)
      << out;
  EXPECT_EQ(Ctl(absl::StrCat("verify-document ", Path("p1.pdf"), " --key ", Path("other.vkey")), &out, "sj01"), 1) << out;
  EXPECT_THAT(out, HasSubstr("the page's checkpoint is refused"));
}

TEST_F(DocumentsE2eTest, PrintsAreDeterministicFromTheLogAndTheAuditorSeesThem) {
  std::string out;
  // The same print asked for twice (a retry): one entry, the same page byte for byte.
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P2 --request-id pr-1 --out " + Path("a.pdf"), &out, "sy01"), 0);
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P2 --request-id pr-1 --out " + Path("b.pdf"), &out, "sy01"), 0);
  EXPECT_THAT(out, HasSubstr("(earlier)"));
  EXPECT_EQ(ReadFile(Path("a.pdf")), ReadFile(Path("b.pdf")));
  // ...and after the projections are rebuilt from the log, the same page again.
  ASSERT_EQ(ledgerd_->Stop(SIGTERM), 0);
  ASSERT_EQ(testing::RunCommand(absl::StrCat(LEDGERCTL_PATH, " rebuild --data-dir ", Data()), &out), 0) << out;
  ledgerd_ = std::make_unique<testing::LedgerdProcess>(LEDGERD_PATH, Data());
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P2 --request-id pr-1 --out " + Path("c.pdf"), &out, "sy01"), 0);
  EXPECT_EQ(ReadFile(Path("a.pdf")), ReadFile(Path("c.pdf")));
  ASSERT_EQ(Ctl("print receipt --project BJF --payment P2 --out " + Path("d.pdf"), &out, "sy01"), 0);
  EXPECT_THAT(out, HasSubstr("(补打 副本 2)"));  // the copy count survived the rebuild

  // The auditor's report: P2 was typed in three hours late, and printed at once after that.
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  ASSERT_EQ(Ctl("backdated --min-lag 30m --json --month " + absl::FormatTime("%Y-%m", absl::Now(), shanghai), &out, "sj01"), 0);
  EXPECT_THAT(out, HasSubstr(R"("kind":"record_payment")"));
  EXPECT_THAT(out, HasSubstr(R"("prints":2)"));
  EXPECT_THAT(out, HasSubstr(R"("first_printed_at":")"));
  // Printed within a minute of being recorded (0, and so left out of the JSON, within a second).
  EXPECT_THAT(out, Not(::testing::ContainsRegex(R"("print_lag_seconds":"[0-9]{3,}")")));
  ASSERT_EQ(Ctl("events --kind print_document", &out, "sj01"), 0) << out;
  EXPECT_THAT(out, HasSubstr(R"("print_document":{"kind":"RECEIPT","document_id":"P2","copy":1)"));
  EXPECT_THAT(out, HasSubstr(R"("copy":2)"));
}

TEST_F(DocumentsE2eTest, TheUnitGridAndTimelinessArePictures) {
  std::string out;
  ASSERT_EQ(Ctl("report units --project BJF --out " + Path("units.pdf"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("drew 2 units"));
  const std::string units = PageText(Path("units.pdf"));
  EXPECT_THAT(units, HasSubstr("BJF 销控表"));
  EXPECT_THAT(units, HasSubstr("可售 1"));
  EXPECT_THAT(units, HasSubstr("认购 1"));
  EXPECT_THAT(units, HasSubstr("A1-1203"));
  ASSERT_EQ(Ctl("report units --project BJF --out " + Path("units.png"), &out), 0) << out;
  EXPECT_THAT(ReadFile(Path("units.png")), StartsWith("\x89PNG"));
  ASSERT_EQ(Ctl("report units --project BJF --out " + Path("units.svg"), &out), 0) << out;
  EXPECT_THAT(ReadFile(Path("units.svg")), HasSubstr("<svg"));
  EXPECT_EQ(Ctl("report units --project BJF --out " + Path("units.gif"), &out), 1);
  EXPECT_THAT(out, HasSubstr("end it in .pdf, .svg or .png [INVALID_ARGUMENT]"));

  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  const std::string month = absl::FormatTime("%Y-%m", absl::Now(), shanghai);
  ASSERT_EQ(Ctl(absl::StrCat("report timeliness --project BJF --month ", month, " --out ", Path("t.pdf")), &out), 0)
      << out;
  const std::string timeliness = PageText(Path("t.pdf"));
  EXPECT_THAT(timeliness, HasSubstr("录入及时率"));
  EXPECT_THAT(timeliness, HasSubstr("sy01"));
  EXPECT_THAT(timeliness, HasSubstr("50.0%（1/2）"));   // P1 on time, P2 late
  EXPECT_THAT(timeliness, HasSubstr("¥100.00"));        // the cashier's fine, and her supervisor's
  EXPECT_THAT(timeliness, HasSubstr("cw01"));           // fined jointly, with no entries of her own
  EXPECT_THAT(timeliness, Not(HasSubstr("nan")));

  // Pay is private: the sales lead sees everyone's timeliness but nobody's fines; the cashier
  // sees only her own row, with her fine.
  ASSERT_EQ(Ctl(absl::StrCat("report timeliness --project BJF --month ", month, " --out ", Path("lead.pdf")), &out,
                "xs01"), 0) << out;
  const std::string lead = PageText(Path("lead.pdf"));
  EXPECT_THAT(lead, HasSubstr("50.0%（1/2）"));
  EXPECT_THAT(lead, Not(HasSubstr("¥")));
  EXPECT_THAT(lead, Not(HasSubstr("cw01")));
  ASSERT_EQ(Ctl(absl::StrCat("report timeliness --project BJF --month ", month, " --out ", Path("own.pdf")), &out,
                "sy01"), 0) << out;
  const std::string own = PageText(Path("own.pdf"));
  EXPECT_THAT(own, HasSubstr("sy01"));
  EXPECT_THAT(own, HasSubstr("¥100.00"));
  EXPECT_THAT(own, Not(HasSubstr("kf01")));
  EXPECT_THAT(own, Not(HasSubstr("cw01")));
}

}  // namespace
}  // namespace salesledger
