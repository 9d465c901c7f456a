// Timeliness as a picture: for each person, a bar per entry kind showing the share entered on time
// (and how many entries), and the person's penalty total for the month. PDF, SVG or PNG.
// Thread-safe: no shared state.
#ifndef SALESLEDGER_DOCUMENTS_TIMELINESS_CHART_H_
#define SALESLEDGER_DOCUMENTS_TIMELINESS_CHART_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "documents/canvas.h"
#include "salesledger/v1/query.pb.h"

namespace salesledger {

struct TimelinessChartInput {
  std::string project_name, period;
  std::vector<v1::TimelinessRow> rows;          // per person and kind (TimelinessResponse.rows)
  // person -> the month's total, waived left out; a person not here has an empty cell (the caller
  // may not read their pay), one with 0 a dash.
  std::map<std::string, int64_t> penalty_fen;
  std::map<std::string, std::string> names;     // person -> name, when known
};

absl::StatusOr<std::string> DrawTimelinessChart(const TimelinessChartInput& input, CanvasFormat format);

}  // namespace salesledger

#endif  // SALESLEDGER_DOCUMENTS_TIMELINESS_CHART_H_
