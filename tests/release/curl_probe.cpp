// ku-curl-probe: a minimal HTTPS client on the release build's static libcurl (scripts/release
// builds it as build-static/ku-curl-probe). tests/release/sandbox_test.sh runs it in an empty
// bubblewrap root to show that TLS and c-ares name resolution need no shared library and no NSS.
//
//   ku-curl-probe --info
//   ku-curl-probe URL [--cacert FILE] [--cert FILE --key FILE] [--token-file FILE]
//
// --info prints the libcurl build (TLS library, resolver, protocols). Otherwise it prints
// "status: <code>" and the body; exit 0 only for a 2xx answer.
#include <curl/curl.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace {

struct Request {
  std::string url, cacert, cert, key, token_file;
};

size_t append_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

int print_info() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  std::printf("libcurl: %s\n", info->version);
  std::printf("tls: %s\n", info->ssl_version ? info->ssl_version : "none");
  std::printf("resolver: %s\n",
              info->ares ? (std::string("c-ares ") + info->ares).c_str() : "system (getaddrinfo)");
  std::printf("http2: %s\n", (info->features & CURL_VERSION_HTTP2) ? "yes" : "no");
  std::printf("protocols:");
  for (const char* const* p = info->protocols; *p; ++p) std::printf(" %s", *p);
  std::printf("\n");
  return 0;
}

bool read_token(const std::string& path, std::string& token) {
  std::ifstream in(path);
  if (!in) return false;
  token.assign(std::istreambuf_iterator<char>(in), {});
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return true;
}

int fetch(const Request& r) {
  CURL* curl = curl_easy_init();
  if (!curl) {
    std::fprintf(stderr, "ku-curl-probe: curl_easy_init failed\n");
    return 2;
  }
  std::string body, auth;
  curl_slist* headers = nullptr;
  if (!r.token_file.empty()) {
    std::string token;
    if (!read_token(r.token_file, token)) {
      std::fprintf(stderr, "ku-curl-probe: cannot read token file %s\n", r.token_file.c_str());
      return 2;
    }
    auth = "Authorization: Bearer " + token;
    headers = curl_slist_append(headers, auth.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!r.cacert.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, r.cacert.c_str());
  if (!r.cert.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, r.cert.c_str());
  if (!r.key.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, r.key.c_str());
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    std::fprintf(stderr, "ku-curl-probe: GET %s failed: %s\n", r.url.c_str(),
                 error[0] ? error : curl_easy_strerror(rc));
    return 1;
  }
  std::printf("status: %ld\n%s\n", status, body.c_str());
  return status >= 200 && status < 300 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--info") return print_info();
  if (argc < 2 || argv[1][0] == '-') {
    std::fprintf(stderr,
                 "usage: ku-curl-probe --info | URL [--cacert F] [--cert F --key F] "
                 "[--token-file F]\n");
    return 2;
  }
  Request r;
  r.url = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--cacert") {
      r.cacert = value;
    } else if (flag == "--cert") {
      r.cert = value;
    } else if (flag == "--key") {
      r.key = value;
    } else if (flag == "--token-file") {
      r.token_file = value;
    } else {
      std::fprintf(stderr, "ku-curl-probe: unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = fetch(r);
  curl_global_cleanup();
  return rc;
}
