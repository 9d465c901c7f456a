// Which events a ReadEvents request asks for (SPEC.md §5, `ledgerctl events`): its filters by
// project, actor, subject, kind and time ranges, judged from the event alone. Pure.
#ifndef SALESLEDGER_QUERIES_EVENT_FILTER_H_
#define SALESLEDGER_QUERIES_EVENT_FILTER_H_

#include "salesledger/v1/audit.pb.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

// Whether `event` passes every filter `request` sets. The subject is the named consultant of
// visits and customers, otherwise the actor.
bool MatchesFilters(const v1::ReadEventsRequest& request, const v1::Event& event);

}  // namespace salesledger

#endif  // SALESLEDGER_QUERIES_EVENT_FILTER_H_
