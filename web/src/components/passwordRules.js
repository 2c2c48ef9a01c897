// The server's password rules (src/crypto/password.cc check_password_rules,
// src/app/auth.cc change_password), shown before the user types so that the
// first attempt can succeed. The server stays the judge: these texts only
// describe its checks, and the browser checks here only what needs no list
// (the length and the repeat), so a rule changed on the server shows up as
// the server's own message under the field.
export const PASSWORD_CHARS_MIN = 12;

export const PASSWORD_RULES = [
  `至少 ${PASSWORD_CHARS_MIN} 个字符（汉字、字母、数字、符号均可，建议用一句好记的话）`,
  '不能由同一个字符重复组成',
  '不能包含用户名',
  '不能是常见密码（如 password1234、admin@123456）',
  '不能与原密码相同',
];

// Counts characters as the server does (Unicode code points, not UTF-16
// units), so that a password of Chinese characters is judged alike.
export function passwordChars(text) {
  return [...(text || '')].length;
}
