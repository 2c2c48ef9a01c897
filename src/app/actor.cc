#include "app/actor.h"

namespace zizhu::app {

std::string_view session_stage_key(SessionStage stage) {
  switch (stage) {
    case SessionStage::kFull: return "ok";
    case SessionStage::kChangePassword: return "change_password";
    case SessionStage::kSecondFactor: return "totp";
    case SessionStage::kEnrolTotp: return "totp_enrol";
  }
  return "ok";
}

Actor system_actor(std::string_view what) {
  Actor actor;
  actor.username = "system:" + std::string(what);
  actor.display_name = "系统";
  actor.org_path = "/";
  actor.ip = "local";
  return actor;
}

}  // namespace zizhu::app
