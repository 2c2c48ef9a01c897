// Policy notices (政策宣传, aid-cycle.md OPEN: "a notice is published"): a
// county officer publishes them for the county; the public reads the ones in
// force without logging in; a withdrawn notice leaves the public page and
// keeps its record. Free text written by officers: what they publish is
// theirs to keep free of personal data (the privacy test checks the demo's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr size_t kNoticeTitleBytesMax = 200;
inline constexpr size_t kNoticeBodyBytesMax = 20'000;
inline constexpr int64_t kPublicNoticesMax = 100;

struct NoticeView {
  int64_t id = 0;
  std::string county_code;
  std::string county_name;
  std::string title;
  std::string body;
  std::string published_on;  // YYYY-MM-DD, China time
  int64_t published_at_ms = 0;
  bool withdrawn = false;
};

// The actor's node must be a county.
Result<NoticeView> publish_notice(App& app, store::Store& store, const Actor& actor, std::string_view title,
                                  std::string_view body);
Result<NoticeView> withdraw_notice(App& app, store::Store& store, const Actor& actor, int64_t notice_id);
// Staff: the notices of the counties above and below the actor, withdrawn ones too.
Result<std::vector<NoticeView>> list_notices(App& app, store::Store& store, const Actor& actor);
// The public: the notices in force, of one county (by its code) or of all.
Result<std::vector<NoticeView>> public_notices(App& app, store::Store& store,
                                               const std::optional<std::string>& county_code);

}  // namespace zizhu::app
