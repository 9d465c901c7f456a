#include "projections/checkpoint_retention.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace salesledger {
namespace {

using ::testing::ElementsAreArray;

struct Row {
  const char* why;
  std::vector<uint64_t> seqs;
  size_t keep;
  std::vector<uint64_t> kept;
};

TEST(ThinCheckpointsTest, KeepsTheNewestAndDropsTheOneLeavingTheNarrowestGap) {
  const Row rows[] = {
      {"none", {}, 4, {}},
      {"fewer than keep", {100, 200}, 4, {100, 200}},
      {"exactly keep", {100, 200, 300, 400}, 4, {100, 200, 300, 400}},
      {"one too many, even spacing: the oldest goes on the tie", {100, 200, 300, 400, 500}, 4, {200, 300, 400, 500}},
      {"the one in a crowd goes", {100, 200, 210, 300, 400}, 4, {100, 200, 300, 400}},
      {"the newest stays though it is close", {100, 200, 300, 400, 401}, 4, {100, 200, 300, 401}},
      {"keep 1: only the newest", {100, 200, 300}, 1, {300}},
      {"keep 0 counts as 1", {100, 200, 300}, 0, {300}},
      {"many dropped at once, one at a time", {10, 20, 30, 40, 50, 60, 70, 80}, 3, {40, 60, 80}},
      {"growing cadence: early crowd thinned", {100, 200, 300, 1000, 2000}, 3, {300, 1000, 2000}},
  };
  for (const Row& row : rows) {
    EXPECT_THAT(ThinCheckpoints(row.seqs, row.keep), ElementsAreArray(row.kept)) << row.why;
  }
}

}  // namespace
}  // namespace salesledger
