#include "projections/state_codec.h"

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "base/sha256.h"
#include "gtest/gtest.h"
#include "tests/testing/ledger_harness.h"
#include "tests/testing/status_matchers.h"

namespace salesledger {
namespace {

using testing::StatusIs;

TEST(StateCodecTest, RoundTripsAndRefusesGarbage) {
  testing::LedgerHarness h;
  const std::string bytes = h.Read([](const State& s) { return EncodeState(s); });
  auto decoded = DecodeState(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(EncodeState(*decoded), bytes);
  EXPECT_THAT(DecodeState("nope").status(), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("format")));
  EXPECT_THAT(DecodeState(bytes.substr(0, bytes.size() / 2)).status(),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("truncated")));
  // Found by stored_state_fuzz: a huge element count must be corruption, not an allocation.
  EXPECT_THAT(DecodeState(std::string(kStateFormat) + std::string("F\0\0\0Y\0", 6)).status(),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("truncated")));
}

// Visits are found by position and named by their voidable entry (state.h): a checkpoint in which
// they disagree would send a later lookup out of bounds, so it does not decode.
TEST(StateCodecTest, RefusesVisitsThatDisagreeWithTheirEntries) {
  State state;
  Project& p = state.projects["BJF"];
  p.project_id = "BJF";
  p.time_zone = "Asia/Shanghai";
  p.customers["C1"].visits = {0};
  p.visits.push_back(Visit{"gw01", absl::UnixEpoch(), 7, v1::LogVisitRequest::CALL, false});
  p.voidable.Add({7, v1::Event::kLogVisit, false, "gw01", "V1"});
  p.AddItem("V1", ItemKind::kVisit, 7, 0);
  ASSERT_TRUE(DecodeState(EncodeState(state)).ok());

  auto refused = [](const State& s) { return DecodeState(EncodeState(s)).status(); };
  State stray_position = state;
  stray_position.projects["BJF"].customers["C1"].visits = {1};
  EXPECT_THAT(refused(stray_position), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("corrupt")));
  State stray_index = state;
  stray_index.projects["BJF"].AddItem("V1", ItemKind::kVisit, 7, 3);
  EXPECT_THAT(refused(stray_index), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("corrupt")));
  State no_entry = state;
  no_entry.projects["BJF"].voidable = VoidableEntries();
  EXPECT_THAT(refused(no_entry), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("corrupt")));
  State unknown_id = state;
  unknown_id.projects["BJF"].items = IdTable<Item, ItemId>();
  EXPECT_THAT(refused(unknown_id), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("corrupt")));
}

TEST(StateCodecTest, StreamsInPiecesThatMayEndAnywhere) {
  testing::LedgerHarness h;
  const std::string whole = h.Read([](const State& s) { return EncodeState(s); });
  std::vector<std::string> pieces;
  ASSERT_TRUE(h.Read([&](const State& s) {
                 return EncodeState(s, [&](absl::string_view p) {
                   pieces.emplace_back(p);
                   return absl::OkStatus();
                 }, 7);
               }).ok());
  ASSERT_EQ(pieces.size(), (whole.size() + 6) / 7);
  EXPECT_EQ(absl::StrJoin(pieces, ""), whole);
  EXPECT_EQ(h.Read([](const State& s) { return StateDigest(s); }), Sha256(whole));

  auto decode = [&](std::vector<std::string> from, uint64_t total) {
    size_t next = 0;
    return DecodeState(total, [&]() -> absl::StatusOr<std::optional<std::string>> {
      if (next == from.size()) return std::nullopt;
      return from[next++];
    });
  };
  auto decoded = decode(pieces, whole.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(EncodeState(*decoded), whole);

  // A missing piece, a declared size that does not match, or a failing source is never a state.
  std::vector<std::string> gap = pieces;
  gap.erase(gap.begin() + gap.size() / 2);
  EXPECT_THAT(decode(gap, whole.size()).status(), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("truncated or corrupt")));
  EXPECT_THAT(decode(pieces, whole.size() + 1).status(), StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("truncated or corrupt")));
  EXPECT_THAT(DecodeState(whole.size(), []() -> absl::StatusOr<std::optional<std::string>> {
                return absl::UnavailableError("disk gone");
              }).status(),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::HasSubstr("disk gone")));

  // The sink's first error stops the encoding and is returned.
  int calls = 0;
  EXPECT_THAT(h.Read([&](const State& s) {
                return EncodeState(s, [&](absl::string_view) {
                  ++calls;
                  return absl::ResourceExhaustedError("full");
                }, 7);
              }),
              StatusIs(absl::StatusCode::kResourceExhausted, ::testing::HasSubstr("full")));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace salesledger
