// The printed documents checked as a person would check the paper: rendered to text with
// pdftotext and to an image with pdftoppm (poppler-utils), the QR code read back with zbarimg.
#include "documents/document_pdf.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/time_proto.h"
#include "documents/document_check.h"
#include "documents/document_lines.h"
#include "documents/page_reader.h"
#include "documents/qr_payload.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/ledgerd_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "transparency/checkpoint.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::IsOk;

// 2026-03-02 10:05 and 10:07 in Shanghai.
constexpr int64_t kTaken = 1772417100, kPrinted = 1772417220;

v1::Event ReceiptPrint(uint32_t copy) {
  v1::Event e;
  e.set_seq(58);
  e.set_actor_id("sy01");
  e.set_project_id("BJF");
  e.mutable_recorded_at()->set_seconds(kPrinted);
  v1::DocumentPrinted* d = e.mutable_print_document();
  d->set_kind(v1::DocumentKind::RECEIPT);
  d->set_document_id("P1");
  d->set_copy(copy);
  d->set_entry_seq(57);
  d->set_document_no("BJF-R000012");
  d->set_company("杭州滨江置业有限公司");
  d->set_project_name("滨江府");
  d->set_time_zone("Asia/Shanghai");
  d->mutable_occurred_at()->set_seconds(kTaken);
  d->mutable_entry_recorded_at()->set_seconds(kTaken + 60);
  auto* payer = d->add_parties();
  payer->set_customer_id("C1");
  payer->set_name("王芳");
  d->set_unit_id("A1-1203");
  d->set_building("A1");
  d->set_floor(12);
  d->set_room("1203");
  d->set_payment_kind(v1::RecordPaymentRequest::DEPOSIT);
  d->set_method(v1::RecordPaymentRequest::CARD);
  d->set_amount_fen(10000005);
  d->set_staff_id("sy01");
  d->set_staff_name("苏收银");
  return e;
}

std::string QrText() {
  const note::Signer log = *note::NewSigner("sales.example/bjf", note::kEd25519);
  QrPayload qr{57, std::string(32, '\x07'), 58, SignCheckpoint(TreeCheckpoint{log.name, 60, std::string(32, 'r')}, log)};
  return qr.ToText();
}

class DocumentPdfTest : public ::testing::Test {
 protected:
  // Writes the PDF, and returns what pdftotext reads from it.
  std::string Text(const std::string& pdf, const std::string& name) {
    std::ofstream(dir_.Sub(name + ".pdf"), std::ios::binary) << pdf;
    // To look at the pages: SALESLEDGER_KEEP_PAGES=DIR keeps a copy of each.
    if (const char* keep = std::getenv("SALESLEDGER_KEEP_PAGES")) {
      std::ofstream(absl::StrCat(keep, "/", name, ".pdf"), std::ios::binary) << pdf;
    }
    std::string out;
    EXPECT_EQ(testing::RunCommand(absl::StrCat("pdftotext ", dir_.Sub(name + ".pdf"), " -"), &out), 0) << out;
    return out;
  }
  // What zbarimg decodes from the page rendered at 300 dpi, as a scanner would.
  std::string Qr(const std::string& name) {
    std::string out;
    EXPECT_EQ(testing::RunCommand(absl::StrCat("pdftoppm -r 300 -png -singlefile ", dir_.Sub(name + ".pdf"), " ",
                                               dir_.Sub(name)),
                                  &out),
              0)
        << out;
    EXPECT_EQ(testing::RunCommand(absl::StrCat("zbarimg --quiet --nodbus --raw -Sbinary ", dir_.Sub(name + ".png"), " 2>/dev/null"), &out), 0)
        << out;
    return out;
  }

  testing::TempDir dir_;
};

TEST_F(DocumentPdfTest, AReceiptSaysWhatTheEntrySaysAndItsQrCodeReadsBack) {
  const std::string qr = QrText();
  auto pdf = RenderDocumentPdf(ReceiptPrint(1), qr);
  ASSERT_THAT(pdf.status(), IsOk());
  const std::string text = Text(*pdf, "receipt");
  for (const char* expected : {"杭州滨江置业有限公司", "收据编号：BJF-R000012", "交款人：王芳（C1）",
                               "房号：A1-1203（A1栋 12层 1203室）", "款项：定金", "金额（小写）：¥100,000.05",
                               "金额（大写）：人民币壹拾万元零伍分", "收款方式：刷卡", "收款时间：2026年03月02日 10:05",
                               "录入时间：2026年03月02日 10:06", "收款人：苏收银（sy01）", "原件"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  EXPECT_THAT(text, Not(HasSubstr("补打")));
  EXPECT_THAT(text, HasSubstr("salesledger document v1"));  // the QR's text beneath it
  EXPECT_EQ(Qr("receipt"), qr);
}

TEST_F(DocumentPdfTest, AReprintSaysWhichCopyAndAStateIsStamped) {
  v1::Event print = ReceiptPrint(3);
  print.mutable_print_document()->set_refunded_fen(200000);
  print.mutable_print_document()->set_voided(true);
  auto pdf = RenderDocumentPdf(print, QrText());
  ASSERT_THAT(pdf.status(), IsOk());
  const std::string text = Text(*pdf, "reprint");
  EXPECT_THAT(text, HasSubstr("补打 副本 3"));
  EXPECT_THAT(text, HasSubstr("第 3 次打印"));
  EXPECT_THAT(text, HasSubstr("已作废"));
  EXPECT_THAT(text, HasSubstr("已退款 ¥2,000.00"));
  EXPECT_THAT(text, Not(HasSubstr("原件")));
}

TEST_F(DocumentPdfTest, TheSamePrintRendersToTheSameBytes) {
  const std::string qr = QrText();
  auto first = RenderDocumentPdf(ReceiptPrint(1), qr);
  auto second = RenderDocumentPdf(ReceiptPrint(1), qr);
  ASSERT_THAT(first.status(), IsOk());
  ASSERT_THAT(second.status(), IsOk());
  EXPECT_EQ(*first, *second);
}

TEST_F(DocumentPdfTest, TheSubscriptionAgreementNamesTheBuyersTheUnitAndThePrice) {
  v1::Event e = ReceiptPrint(1);
  v1::DocumentPrinted* d = e.mutable_print_document();
  d->set_kind(v1::DocumentKind::SUBSCRIPTION);
  d->set_document_id("S1");
  d->set_document_no("S1");
  auto* second = d->add_parties();
  second->set_customer_id("C2");
  second->set_name("李强");
  d->set_product_type("住宅");
  d->set_area_x100(8950);
  d->set_amount_fen(198000000);
  d->set_payment_plan_name("按揭30年");
  d->set_consultant_id("gw01");
  d->set_consultant_name("顾一");
  d->clear_staff_id();
  const std::string qr = QrText();
  auto pdf = RenderDocumentPdf(e, qr);
  ASSERT_THAT(pdf.status(), IsOk());
  const std::string text = Text(*pdf, "agreement");
  for (const char* expected : {"商品房认购书", "认购书编号：S1", "出卖人：杭州滨江置业有限公司", "买受人：王芳（C1）、李强（C2）",
                               "建筑面积：89.50 平方米", "认购总价（小写）：¥1,980,000.00",
                               "认购总价（大写）：人民币壹佰玖拾捌万元整", "付款方式：按揭30年", "置业顾问：顾一（gw01）",
                               "买受人（签字）"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  EXPECT_EQ(Qr("agreement"), qr);
}

// What verify-document reads from a page: its text and QR code (documents/page_reader.h), and
// what it finds different from the ledger's document (documents/document_check.h).
TEST_F(DocumentPdfTest, APageReadsBackAsPrintedAndAForgedOneSaysWhatDiffers) {
  const std::string qr = QrText();
  const v1::Event print = ReceiptPrint(2);
  auto pdf = RenderDocumentPdf(print, qr);
  ASSERT_THAT(pdf.status(), IsOk());
  auto page = ReadPdf(*pdf);
  ASSERT_THAT(page.status(), IsOk());
  ASSERT_EQ(page->qr_codes.size(), 1u);
  EXPECT_EQ(page->qr_codes[0], qr);
  EXPECT_THAT(CompareWithPage(DocumentTextOf(print), page->text), ::testing::IsEmpty());

  // A look-alike page: one digit of the amount changed, the QR code of the true entry kept.
  v1::Event forged = print;
  forged.mutable_print_document()->set_amount_fen(10000006);
  auto forged_pdf = RenderDocumentPdf(forged, qr);
  ASSERT_THAT(forged_pdf.status(), IsOk());
  auto forged_page = ReadPdf(*forged_pdf);
  ASSERT_THAT(forged_page.status(), IsOk());
  EXPECT_THAT(CompareWithPage(DocumentTextOf(print), forged_page->text),
              ::testing::ElementsAre("金额（小写）: the page says ¥100,000.06; the ledger says ¥100,000.05",
                                     "金额（大写）: the page says 人民币壹拾万元零陆分; the ledger says 人民币壹拾万元零伍分"));
  // The original, where the ledger holds a reprint: the copy marker tells them apart.
  EXPECT_THAT(CompareWithPage(DocumentTextOf(ReceiptPrint(3)), page->text),
              ::testing::Contains(HasSubstr("the copy: the page does not say 补打 副本 3")));
  EXPECT_THAT(ReadPdf("not a pdf").status(), testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a PDF")));
}

}  // namespace
}  // namespace salesledger
