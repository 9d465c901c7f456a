// libFuzzer: one line of a scenario or import file (SPEC.md §8), as any bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/scenario_line.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  (void)salesledger::ParseScenarioLine(line, "fuzz");
  return 0;
}
