# Every dependency comes from Debian (scripts/setup installs them).
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(cxxopts REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
if(NOT KU_STATIC)
  find_package(CURL REQUIRED)
endif()
if(KU_TESTS)
  find_package(GTest REQUIRED)
endif()

# spdlog and fmt header-only everywhere, so the static release needs no extra archives.
add_library(ku_logging INTERFACE)
target_link_libraries(ku_logging INTERFACE spdlog::spdlog_header_only fmt::fmt-header-only)

# libcurl behind one target: Debian's shared libcurl normally; the static release
# (scripts/release, KU_STATIC=ON) points it at the libcurl.a built from Debian's curl source.
add_library(ku_curl INTERFACE)
if(KU_STATIC)
  include(${CMAKE_SOURCE_DIR}/cmake/StaticCurl.cmake OPTIONAL)
else()
  target_link_libraries(ku_curl INTERFACE CURL::libcurl)
endif()
target_link_libraries(ku_curl INTERFACE OpenSSL::SSL OpenSSL::Crypto)
