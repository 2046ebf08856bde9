# Deployers for targets on this machine (README.md "Deployers"): the haproxy runtime-API deployer and the files deployer,
# with their helpers. The HAProxy CLI text is pure; the rest are adapters.
target_sources(certman_pure PRIVATE
  src/deploy/child_environment.cpp
  src/deploy/haproxy_cli.cpp)
target_sources(certman_io PRIVATE
  src/deploy/child_process.cpp
  src/deploy/file_install.cpp
  src/deploy/files_deployer.cpp
  src/deploy/haproxy_deployer.cpp
  src/deploy/step_deployer.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE
    tests/deploy/child_environment_test.cpp
    tests/deploy/haproxy_cli_test.cpp)
  target_include_directories(certman_unit_io PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  target_sources(certman_unit_io PRIVATE
    tests/deploy/files_deployer_test.cpp
    tests/deploy/haproxy_deployer_test.cpp)
  # Drives the haproxy or files deployer once from the command line (tests/integration/test_{haproxy,files}_*).
  add_executable(certman_local_deploy_tool tests/deploy/haproxy_files_deploy_tool.cpp)
  target_link_libraries(certman_local_deploy_tool PRIVATE certman_io)
endif()
