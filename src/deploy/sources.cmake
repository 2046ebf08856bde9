# Deployers (README.md "Deployers", docs/alibaba-slb.md). Pure planning in certman_pure, the deployers themselves in certman_io.
# One line per deployer in each list; keep them sorted.
target_sources(certman_pure PRIVATE
  src/deploy/cas_listener_options.cpp
  src/deploy/cas_listener_plan.cpp
  src/deploy/slb_plan.cpp)
target_sources(certman_io PRIVATE
  src/deploy/alb_deployer.cpp
  src/deploy/cas_cleanup.cpp
  src/deploy/cas_listener_deployer.cpp
  src/deploy/cas_listener_factory.cpp
  src/deploy/nlb_deployer.cpp
  src/deploy/slb_deployer.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE
    tests/deploy/cas_listener_plan_test.cpp
    tests/deploy/slb_plan_test.cpp)
  target_sources(certman_unit_io PRIVATE
    tests/deploy/cas_listener_deployer_test.cpp
    tests/deploy/cas_listener_waits_test.cpp)
  # Drives one deployer once from the command line, for the integration tests (tests/integration/test_slb_*).
  add_executable(certman_slb_deploy_tool tests/deploy/slb_deploy_tool.cpp)
  target_link_libraries(certman_slb_deploy_tool PRIVATE certman_io)
endif()
