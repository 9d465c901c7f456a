// C2SP signed notes, checkpoints and cosignatures: the published examples (the signed-note and
// sumdb/note documentation's example.com/foo note, the tlog-cosignature example), then our own
// signing, verified, and forgeries refused.
#include "transparency/note.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "transparency/checkpoint.h"
#include "transparency/cosignature.h"

namespace salesledger {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

constexpr char kFooKey[] = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
constexpr char kFooNote[] =
    "This is an example message.\n\n"
    "\xe2\x80\x94 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

TEST(NoteTest, VerifiesThePublishedExample) {
  auto verifier = note::ParseVerifierKey(kFooKey);
  ASSERT_THAT(verifier.status(), IsOk());
  EXPECT_EQ(verifier->name, "example.com/foo");
  EXPECT_EQ(verifier->id, 0x530d903au);
  EXPECT_EQ(verifier->type, note::kEd25519);
  EXPECT_EQ(verifier->ToString(), kFooKey);
  EXPECT_EQ(note::KeyId(verifier->name, note::kEd25519, verifier->public_key), 0x530d903au);
  auto text = note::Open(kFooNote, *verifier);
  ASSERT_THAT(text.status(), IsOk());
  EXPECT_EQ(*text, "This is an example message.\n");
  // One changed letter, and the signature no longer verifies.
  std::string changed = kFooNote;
  changed[0] = 't';
  EXPECT_THAT(note::Open(changed, *verifier),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("the signature of example.com/foo does not verify")));
}

TEST(NoteTest, ParsesThePublishedCosignatureExample) {
  const std::string note =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
      "\xe2\x80\x94 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
      "\xe2\x80\x94 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
  auto parsed = note::ParseNote(note);
  ASSERT_THAT(parsed.status(), IsOk());
  ASSERT_EQ(parsed->signatures.size(), 2u);
  auto body = ParseCheckpointBody(parsed->text);
  ASSERT_THAT(body.status(), IsOk());
  EXPECT_EQ(body->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(body->size, 20852163u);
  const note::Signature& witness = parsed->signatures[1];
  EXPECT_EQ(witness.name, "witness.example.com/w1");
  EXPECT_EQ(witness.bytes.size(), 8u + 64u);  // the timestamp, then the signature
  uint64_t timestamp = 0;
  for (int i = 0; i < 8; ++i) timestamp = (timestamp << 8) | static_cast<unsigned char>(witness.bytes[i]);
  EXPECT_EQ(timestamp, 1679315147u);  // the specification's "time 1679315147"
  EXPECT_EQ(CosignatureMessage(parsed->text, 1679315147),
            "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
}

TEST(NoteTest, SignsCheckpointsAndRefusesForgeries) {
  auto log = note::NewSigner("ledger.example/salesledger", note::kEd25519);
  auto other = note::NewSigner("ledger.example/salesledger", note::kEd25519);
  ASSERT_THAT(log.status(), IsOk());
  const TreeCheckpoint checkpoint{"ledger.example/salesledger", 42, std::string(32, '\x07')};
  const std::string signed_note = SignCheckpoint(checkpoint, *log);
  auto opened = OpenCheckpoint(signed_note, log->verifier());
  ASSERT_THAT(opened.status(), IsOk());
  EXPECT_EQ(opened->size, 42u);
  EXPECT_EQ(opened->root, checkpoint.root);
  // The private key file round-trips.
  auto reread = note::ParseSignerKey(log->ToString() + "\n");
  ASSERT_THAT(reread.status(), IsOk());
  EXPECT_EQ(reread->verifier().ToString(), log->verifier().ToString());
  // Another key of the same name, another origin, a changed size, a bad signature line.
  EXPECT_THAT(OpenCheckpoint(signed_note, other->verifier()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not signed by ledger.example/salesledger")));
  auto elsewhere = note::NewSigner("ledger.example/other", note::kEd25519);
  EXPECT_THAT(OpenCheckpoint(SignCheckpoint({"ledger.example/salesledger", 1, checkpoint.root}, *elsewhere),
                             elsewhere->verifier()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("for origin 'ledger.example/salesledger'")));
  std::string bigger = signed_note;
  bigger.replace(bigger.find("\n42\n"), 4, "\n43\n");
  EXPECT_THAT(OpenCheckpoint(bigger, log->verifier()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("does not verify")));
  EXPECT_THAT(note::ParseNote("no blank line\n"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("blank line")));
  EXPECT_THAT(note::ParseNote("text\n\n-- x abc=\n"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'— '")));
  EXPECT_THAT(ParseCheckpointBody("origin\n042\nroot\n"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'042'")));
  EXPECT_THAT(note::ParseVerifierKey("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not match")));
}

TEST(NoteTest, CosignsAndVerifiesCosignatures) {
  auto log = note::NewSigner("ledger.example/salesledger", note::kEd25519);
  auto witness = note::NewSigner("auditor.example/w1", note::kEd25519Cosignature);
  ASSERT_THAT(witness.status(), IsOk());
  const TreeCheckpoint checkpoint{"ledger.example/salesledger", 9, std::string(32, '\x01')};
  const std::string cosigned = SignCheckpoint(checkpoint, *log) + CosignatureLine(checkpoint.Body(), *witness, 1790000000);
  EXPECT_THAT(OpenCheckpoint(cosigned, log->verifier()).status(), IsOk());  // the witness's line is ignored
  auto timestamp = VerifyCosignature(cosigned, witness->verifier());
  ASSERT_THAT(timestamp.status(), IsOk());
  EXPECT_EQ(*timestamp, 1790000000u);
  EXPECT_EQ(witness->verifier().type, note::kEd25519Cosignature);
  // A cosignature over another root does not verify over this one.
  const TreeCheckpoint other{"ledger.example/salesledger", 9, std::string(32, '\x02')};
  const std::string moved = SignCheckpoint(checkpoint, *log) + CosignatureLine(other.Body(), *witness, 1790000000);
  EXPECT_THAT(VerifyCosignature(moved, witness->verifier()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("does not verify")));
  EXPECT_THAT(VerifyCosignature(SignCheckpoint(checkpoint, *log), witness->verifier()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not cosigned by auditor.example/w1")));
}

}  // namespace
}  // namespace salesledger
