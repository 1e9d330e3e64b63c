# KU_STATIC=ON (scripts/release): ku_curl links the libcurl.a built from Debian's curl source
# package, and every executable links with -static against Debian's static archives (OpenSSL,
# nghttp2, zlib, c-ares, yaml-cpp). Included by cmake/Dependencies.cmake after the find_package
# calls, so the imported targets below already exist and are re-pointed at their .a files.

set(KU_STATIC_CURL_PREFIX "" CACHE PATH
    "Install prefix of the static libcurl (scripts/release builds it into .cache/static-curl/)")
if(NOT KU_STATIC_CURL_PREFIX OR NOT EXISTS "${KU_STATIC_CURL_PREFIX}/lib/libcurl.a")
  message(FATAL_ERROR
    "KU_STATIC=ON needs a static libcurl: KU_STATIC_CURL_PREFIX='${KU_STATIC_CURL_PREFIX}' has no "
    "lib/libcurl.a. Run scripts/release, which builds it from Debian's curl source and passes "
    "-DKU_STATIC_CURL_PREFIX.")
endif()

if(KU_TESTS)
  # GoogleTest and kube-sim are not part of the release binary; keep the static build small.
  message(STATUS "KU_STATIC=ON: tests and kube-sim are not built (KU_TESTS forced OFF)")
  set(KU_TESTS OFF)
endif()

# Finds one static archive of a Debian -dev package, or stops with the package to install.
function(ku_static_archive var name package)
  find_library(${var} NAMES lib${name}.a NO_CACHE)
  if(NOT ${var})
    message(FATAL_ERROR "KU_STATIC=ON: lib${name}.a not found; install ${package} (scripts/release does)")
  endif()
  set(${var} ${${var}} PARENT_SCOPE)
endfunction()

ku_static_archive(KU_SSL_A ssl libssl-dev)
ku_static_archive(KU_CRYPTO_A crypto libssl-dev)
ku_static_archive(KU_NGHTTP2_A nghttp2 libnghttp2-dev)
ku_static_archive(KU_Z_A z zlib1g-dev)
ku_static_archive(KU_CARES_A cares libc-ares-dev)
ku_static_archive(KU_YAML_CPP_A yaml-cpp libyaml-cpp-dev)

# FindOpenSSL and yaml-cpp's config found the shared libraries; point their targets at the
# archives (every configuration), so targets that link OpenSSL::SSL or yaml-cpp stay unchanged.
foreach(target_and_archive "OpenSSL::SSL|${KU_SSL_A}" "OpenSSL::Crypto|${KU_CRYPTO_A}"
                           "yaml-cpp|${KU_YAML_CPP_A}")
  string(REPLACE "|" ";" pair "${target_and_archive}")
  list(GET pair 0 target)
  list(GET pair 1 archive)
  if(TARGET ${target})
    get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
    set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${archive}")
    if(configs)
      foreach(config IN LISTS configs)
        set_target_properties(${target} PROPERTIES IMPORTED_LOCATION_${config} "${archive}")
      endforeach()
    endif()
    set_property(TARGET ${target} PROPERTY IMPORTED_SONAME)
    if(configs)
      foreach(config IN LISTS configs)
        set_property(TARGET ${target} PROPERTY IMPORTED_SONAME_${config})
      endforeach()
    endif()
  endif()
endforeach()
set_property(TARGET OpenSSL::Crypto APPEND PROPERTY INTERFACE_LINK_LIBRARIES
             Threads::Threads ${CMAKE_DL_LIBS})

# Debian's spdlog::spdlog_header_only still links the compiled fmt::fmt (libfmt.so, and Debian
# ships no libfmt.a); ku_logging already brings fmt::fmt-header-only, so drop the compiled one.
if(TARGET spdlog::spdlog_header_only)
  get_target_property(spdlog_links spdlog::spdlog_header_only INTERFACE_LINK_LIBRARIES)
  list(TRANSFORM spdlog_links REPLACE "^fmt::fmt$" "fmt::fmt-header-only")
  set_target_properties(spdlog::spdlog_header_only PROPERTIES INTERFACE_LINK_LIBRARIES "${spdlog_links}")
endif()

add_library(ku_static_curl STATIC IMPORTED)
set_target_properties(ku_static_curl PROPERTIES
  IMPORTED_LOCATION "${KU_STATIC_CURL_PREFIX}/lib/libcurl.a"
  INTERFACE_INCLUDE_DIRECTORIES "${KU_STATIC_CURL_PREFIX}/include"
  INTERFACE_COMPILE_DEFINITIONS CURL_STATICLIB)
# Link order matters for archives: curl first, then what it needs (libcurl.pc's Libs.private).
target_link_libraries(ku_static_curl INTERFACE
  ${KU_NGHTTP2_A} OpenSSL::SSL OpenSSL::Crypto ${KU_Z_A} ${KU_CARES_A} Threads::Threads)
target_link_libraries(ku_curl INTERFACE ku_static_curl)

# Fully static executables; glibc's static-link warnings (getpwnam, dlopen, ...) are listed by
# scripts/release and explained in tests/release/README.md.
add_link_options(-static)
# Let the linker drop unused functions and data (ours, libstdc++'s, the archives' where they were
# built with sections): about 6% off the stripped binary from the link flag alone.
add_compile_options(-ffunction-sections -fdata-sections)
add_link_options(-Wl,--gc-sections)
