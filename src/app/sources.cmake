target_sources(certman_pure PRIVATE src/app/toml_reader.cpp src/app/config_parser.cpp src/app/config_entries.cpp
  src/app/config_render.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/app/config_parser_test.cpp)
endif()
