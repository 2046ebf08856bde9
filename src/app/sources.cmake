if(CERTMAN_BUNDLE_DEPS)
  target_sources(certman_pure PRIVATE src/app/toml_impl.cpp)  # toml++ compiled in (see CMakeLists.txt)
  target_sources(certman_io PRIVATE src/app/logging_impl.cpp)  # spdlog and fmt compiled in (see CMakeLists.txt)
endif()
target_sources(certman_pure PRIVATE src/app/toml_reader.cpp src/app/config_parser.cpp src/app/config_entries.cpp src/app/config_challenge.cpp
  src/app/config_render.cpp src/app/metrics.cpp src/app/cert_state.cpp src/app/control_protocol.cpp)
target_sources(certman_io PRIVATE src/app/logging.cpp src/app/runtime.cpp src/app/daemon.cpp src/app/check_config.cpp
  src/app/background.cpp src/app/renewal_manager.cpp src/app/acme_service.cpp src/app/clock.cpp src/app/certificate_job.cpp src/app/certificate_lease.cpp
  src/app/certificate_order.cpp src/app/certificate_deploys.cpp src/app/account_failure.cpp src/app/certificate_state_io.cpp src/app/challenge_fallback.cpp src/app/state_owner.cpp
  src/app/order_results.cpp src/app/deployer_factory.cpp src/app/oneshot.cpp src/app/status_command.cpp
  src/app/ari_refresh.cpp src/app/systemd_notify.cpp src/app/storage_factory.cpp
  src/app/public_server.cpp src/app/task_group.cpp src/app/event_loop.cpp src/app/renewal_tasks.cpp
  src/app/hardening.cpp src/app/import_check.cpp src/app/import_certbot.cpp src/app/import_command.cpp
  src/app/account_key_pending.cpp src/app/account_commands.cpp src/app/cli_import_account.cpp
  src/app/control_server.cpp src/app/control_session.cpp src/app/control_commands.cpp
  src/app/control_progress.cpp src/app/control_client.cpp src/app/control_status_table.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/app/config_parser_test.cpp tests/app/config_cas_listener_test.cpp tests/app/cert_state_test.cpp
    tests/app/control_protocol_test.cpp)
  target_sources(certman_unit_io PRIVATE tests/app/systemd_notify_test.cpp tests/app/state_owner_test.cpp
    tests/app/task_group_test.cpp tests/app/certificate_pass_test.cpp tests/app/certificate_pacing_test.cpp tests/app/acme_service_test.cpp
    tests/app/control_server_test.cpp
    tests/app/renewal_manager_test.cpp tests/app/order_results_test.cpp tests/app/import_check_test.cpp tests/app/import_certbot_test.cpp)
endif()
