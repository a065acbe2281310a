// SPDX-License-Identifier: Apache-2.0
// Result<T> / Status / Error: the control path's error type, spelled like std::expected.
#pragma once

#include <cerrno>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace routerd {

/// An error: an errno-style code (EINVAL, ENOMEM, EISCONN ... as the seeds use) and a message
/// for people. Configuration errors carry their `FILE:LINE:COL: ` prefix in the message.
struct Error {
    int code = EINVAL;
    std::string message;
};

/// Builds an Error; spelled like std::unexpected so the move to <expected> is a rename.
inline Error make_error(int code, std::string message) {
    return Error{code, std::move(message)};
}

/// Result<T>: either a value or an Error. Mirrors std::expected's spelling: has_value(), value(),
/// error(), operator bool, operator*, operator->, value_or(), and_then().
template <typename T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    Result(const T& v) : v_(std::in_place_index<0>, v) {}          // NOLINT: implicit by design
    Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}    // NOLINT
    Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

    template <typename U>
    T value_or(U&& other) const& {
        return has_value() ? value() : static_cast<T>(std::forward<U>(other));
    }

    /// f: T -> Result<U>; errors pass through unchanged.
    template <typename F>
    auto and_then(F&& f) const& -> std::invoke_result_t<F, const T&> {
        if (has_value()) {
            return std::forward<F>(f)(value());
        }
        return error();
    }

private:
    std::variant<T, Error> v_;
};

/// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : err_(std::move(e)), ok_(false) {}  // NOLINT: implicit by design

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    void value() const {}
    const Error& error() const& { return err_; }

private:
    Error err_{0, {}};
    bool ok_ = true;
};

using Status = Result<void>;

/// The successful Status.
inline Status ok_status() {
    return {};
}

}  // namespace routerd
