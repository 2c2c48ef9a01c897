// The answer to a parent's "why": everything that decided one student's
// outcome, in Chinese for the aid officer (zizhu identify --explain 学籍号).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/policy.h"
#include "identify/dataset.h"
#include "identify/engine.h"

namespace zizhu::identify {

Result<std::string> explain_student(std::string_view student_no, const Dataset& data, const Policy& policy,
                                    const Outcome& out);

// An ID number shown as its first 6 and last 4 characters (110101********123X).
std::string mask_id(std::string_view id);

}  // namespace zizhu::identify
