// The 销控表 as a picture: each building a grid of its floors (top floor first) by its rooms, one
// colour per status, with a legend that counts each status. PDF, SVG or PNG (canvas.h).
// Thread-safe: no shared state.
#ifndef SALESLEDGER_DOCUMENTS_UNIT_CHART_H_
#define SALESLEDGER_DOCUMENTS_UNIT_CHART_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "documents/canvas.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

struct UnitChartInput {
  std::string project_name;
  std::string as_of;                      // e.g. "2026-03-02 18:00, seq 1234": printed under the title
  std::vector<v1::UnitView> units;        // every unit of the project
};

absl::StatusOr<std::string> DrawUnitChart(const UnitChartInput& input, CanvasFormat format);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_UNIT_CHART_H_
