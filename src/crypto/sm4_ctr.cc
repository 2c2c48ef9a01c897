#include "crypto/sm4_ctr.h"

#include <openssl/evp.h>

#include <climits>
#include <cstdlib>
#include <memory>

namespace zizhu::crypto {

namespace {

const EVP_CIPHER* sm4_ctr_cipher() {
  // Fetched once: an explicit fetch avoids the per-call provider look-up that
  // the EVP_sm4_ctr() shortcut would repeat inside every init.
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
  if (cipher == nullptr) std::abort();  // OpenSSL built without SM4: no sealed value can be read
  return cipher;
}

struct FreeCtx {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// One context per thread, set to SM4-CTR on first use; later calls only load a
// new key and IV. The server decrypts a few values per request at thousands of
// requests per second, so allocating and fetching each time would show.
EVP_CIPHER_CTX* thread_ctx() {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, FreeCtx> ctx;
  if (!ctx) {
    ctx.reset(EVP_CIPHER_CTX_new());
    if (!ctx) std::abort();
    if (EVP_EncryptInit_ex2(ctx.get(), sm4_ctr_cipher(), nullptr, nullptr, nullptr) != 1) std::abort();
  }
  return ctx.get();
}

std::string apply(Sm4Key key, Sm4Iv iv, std::string_view input) {
  // EVP takes int lengths; sealed values are a few dozen bytes.
  if (input.size() > static_cast<size_t>(INT_MAX)) std::abort();
  EVP_CIPHER_CTX* ctx = thread_ctx();
  if (EVP_EncryptInit_ex2(ctx, nullptr, key.data(), iv.data(), nullptr) != 1) std::abort();
  std::string out(input.size(), '\0');
  int written = 0;
  if (EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &written,
                        reinterpret_cast<const unsigned char*>(input.data()), static_cast<int>(input.size())) != 1) {
    std::abort();
  }
  int tail = 0;
  // A stream mode: Final adds nothing, but it is the documented end of a run.
  if (EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + written, &tail) != 1) std::abort();
  if (static_cast<size_t>(written) + static_cast<size_t>(tail) != input.size()) std::abort();
  return out;
}

}  // namespace

std::string sm4_ctr_encrypt(Sm4Key key, Sm4Iv iv, std::string_view plain) { return apply(key, iv, plain); }

std::string sm4_ctr_decrypt(Sm4Key key, Sm4Iv iv, std::string_view cipher) { return apply(key, iv, cipher); }

}  // namespace zizhu::crypto
