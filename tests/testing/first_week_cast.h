// The cast both harnesses set up (LedgerHarness through a real Ledger, DomainHarness on an
// in-memory State): the people, projects, units and customers of the first-week scenario.
// Header-only, so that the domain tests need no library beyond the domain.
#ifndef SALESLEDGER_TESTS_TESTING_FIRST_WEEK_CAST_H_
#define SALESLEDGER_TESTS_TESTING_FIRST_WEEK_CAST_H_

#include <string>
#include <vector>

namespace salesledger::testing {

struct CastStep {
  std::string actor, cmd, args;  // a command in scenario-file form
};

// Project BJF (Asia/Shanghai) and OTHER; xs01 (sales lead), cw01 and cw02 (finance leads), gw01
// and gw02 (consultants under xs01), desk (a shared consultant account), kf01 (customer service
// under xs01), kf09 (every entry role, on OTHER only), sy01 (cashier) and kj01 (accountant) under
// cw01, qz01 (title and mortgage under xs01), yx01 (marketing), jc01 (inspector), sj01 (auditor);
// xs01 and kj01 lead BJF; units A1-1201..A1-1203 and plan MORTGAGE30 confirmed, A1-1204 in DRAFT;
// customers C1 (gw01's, phone 13800000001) and C2 (gw02's). After the genesis: events 2..27.
inline const std::vector<CastStep>& FirstWeekCast() {
  static const auto* cast = [] {
    auto* steps = new std::vector<CastStep>{
        {"admin", "define_project", R"({"project_id":"BJF","name":"滨江府","time_zone":"Asia/Shanghai"})"},
        {"admin", "define_project", R"({"project_id":"OTHER","name":"别的楼盘"})"},
        {"admin", "add_person", R"({"person_id":"xs01","name":"许销售","roles":["SALES_LEAD"],"project_ids":["BJF"]})"},
        {"admin", "add_person", R"({"person_id":"cw01","name":"陈财务","roles":["FINANCE_LEAD"]})"},
        {"admin", "add_person", R"({"person_id":"cw02","name":"财务二","roles":["FINANCE_LEAD"]})"},
        {"admin", "add_person",
         R"({"person_id":"gw01","name":"顾一","roles":["CONSULTANT"],"supervisor_id":"xs01","project_ids":["BJF"]})"},
        {"admin", "add_person",
         R"({"person_id":"gw02","name":"顾二","roles":["CONSULTANT"],"supervisor_id":"xs01","project_ids":["BJF"]})"},
        {"admin", "add_person",
         R"({"person_id":"desk","name":"前台","roles":["CONSULTANT"],"project_ids":["BJF"],"shared":true})"},
        {"admin", "add_person",
         R"({"person_id":"kf01","name":"柯客服","roles":["CUSTOMER_SERVICE"],"supervisor_id":"xs01","project_ids":["BJF"]})"},
        {"admin", "add_person",
         R"({"person_id":"kf09","name":"别处客服","roles":["CUSTOMER_SERVICE","CASHIER","ACCOUNTANT","SALES_LEAD","MARKETING","TITLE_MORTGAGE","CONSULTANT"],"project_ids":["OTHER"]})"},
        {"admin", "add_person",
         R"({"person_id":"sy01","name":"苏收银","roles":["CASHIER"],"supervisor_id":"cw01","project_ids":["BJF"]})"},
        {"admin", "add_person",
         R"({"person_id":"kj01","name":"孔会计","roles":["ACCOUNTANT"],"supervisor_id":"cw01","project_ids":["BJF"]})"},
        {"admin", "add_person",
         R"({"person_id":"qz01","name":"秦权证","roles":["TITLE_MORTGAGE"],"supervisor_id":"xs01","project_ids":["BJF"]})"},
        {"admin", "add_person", R"({"person_id":"yx01","name":"杨营销","roles":["MARKETING"],"project_ids":["BJF"]})"},
        {"admin", "add_person", R"({"person_id":"jc01","name":"江稽查","roles":["INSPECTOR"]})"},
        {"admin", "add_person", R"({"person_id":"sj01","name":"审计","roles":["AUDITOR"]})"},
        {"admin", "set_project_leads", R"({"project_id":"BJF","sales_lead_id":"xs01","accountant_id":"kj01"})"},
    };
    for (const char* unit : {"A1-1201", "A1-1202", "A1-1203", "A1-1204"}) {
      steps->push_back({"kf01", "define_unit",
                        std::string(R"({"project_id":"BJF","unit_id":")") + unit +
                            R"(","building":"A1","floor":12,"room":"01","product_type":"住宅","area_x100":8937,"list_price_fen":198000000})"});
    }
    steps->insert(steps->end(), {
        {"kf01", "define_payment_plan",
         R"({"project_id":"BJF","plan_id":"MORTGAGE30","name":"按揭","kind":"MORTGAGE","discount_bp":0})"},
        {"xs01", "review_setup",
         R"({"project_id":"BJF","item_ids":["A1-1201","A1-1202","A1-1203","MORTGAGE30"],"approve":true})"},
        {"yx01", "confirm_setup", R"({"project_id":"BJF","item_ids":["A1-1201","A1-1202","A1-1203","MORTGAGE30"]})"},
        {"gw01", "register_customer",
         R"({"project_id":"BJF","customer_id":"C1","name":"王","phone":"13800000001","consultant_id":"gw01","source":"VISIT"})"},
        {"gw02", "register_customer",
         R"({"project_id":"BJF","customer_id":"C2","name":"李","phone":"13900000002","consultant_id":"gw02","source":"CALL"})"},
    });
    return steps;
  }();
  return *cast;
}

}  // namespace salesledger::testing

#endif  // SALESLEDGER_TESTS_TESTING_FIRST_WEEK_CAST_H_
