// Boost.Beast and Asio, included as system headers: their code does not pass
// this project's warning flags, and we do not change theirs.
#pragma once
#pragma GCC system_header

#include <boost/asio.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
