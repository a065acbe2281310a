// SPDX-License-Identifier: Apache-2.0
// router-agent: the Net-SNMP AgentX subagent of routerd (DESIGN.md "router-agent (SNMP)").
// Start-up order follows SNMP-AGENT.md 1.1 (lldpd, keepalived and FRR do the same).
#include "agent/agent.hh"
#include "agent/snmp/loop.hh"
#include "agent/snmp/netsnmp.hh"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <getopt.h>
#include <string>

namespace {

void usage(FILE* to) {
    std::fputs(
        "usage: router-agent [--agentx-socket PATH] [--control-socket PATH] [--cache-ms N]\n"
        "                    [--ping-interval S] [--priority N] [--debug]\n"
        "  --agentx-socket PATH   snmpd's AgentX master socket (default: Net-SNMP's,\n"
        "                         /var/agentx/master)\n"
        "  --control-socket PATH  routerd's control socket (default /run/routerd/control.sock)\n"
        "  --cache-ms N           how long one snapshot of routerd data is served (default\n"
        "                         1000; 0 asks routerd for every request)\n"
        "  --ping-interval S      AgentX ping and reconnect period in seconds (default 2)\n"
        "  --priority N           AgentX registration priority, lower wins (default 100;\n"
        "                         snmpd's own modules use 127)\n"
        "  --debug                Net-SNMP debug output for agentx tokens\n",
        to);
}

// Net-SNMP SESSION_INIT callback: short AgentX waits. A blocked master must cost 0.3 s, not
// 6 s (1 s x 6 tries) per synchronous Open/Register/Ping (keepalived core/snmp.c).
int session_init(int, int, void* serverarg, void*) {
    if (auto* s = static_cast<netsnmp_session*>(serverarg)) {
        s->timeout = 300000;
        s->retries = 0;
    }
    return 0;
}

}  // namespace

int run(int argc, char** argv) {
    std::string agentx_socket;
    routerd::agent::AgentOptions opts;
    // 2 s: the reconnect period after snmpd restarts, inside the 5 s the agent has to be back.
    int ping_interval = 2;
    bool debug = false;
    static const option long_options[] = {
        {"agentx-socket", required_argument, nullptr, 'x'},
        {"control-socket", required_argument, nullptr, 'c'},
        {"cache-ms", required_argument, nullptr, 'm'},
        {"ping-interval", required_argument, nullptr, 'p'},
        {"priority", required_argument, nullptr, 'P'},
        {"debug", no_argument, nullptr, 'd'},
        {"help", no_argument, nullptr, 'h'},
        {nullptr, 0, nullptr, 0},
    };
    auto number = [](const char* flag, const char* text, long lo, long hi) {
        char* end = nullptr;
        long v = std::strtol(text, &end, 10);
        if (end == text || *end != '\0' || v < lo || v > hi) {
            std::fprintf(stderr, "router-agent: %s: expected a number %ld-%ld, got '%s'\n", flag,
                         lo, hi, text);
            return -1L;  // every range here is >= 0
        }
        return v;
    };
    // NOLINTNEXTLINE(concurrency-mt-unsafe): getopt's static state, one thread, at start-up
    for (int c; (c = getopt_long(argc, argv, "", long_options, nullptr)) != -1;) {
        switch (c) {
            case 'x':
                agentx_socket = optarg;
                break;
            case 'c':
                opts.control_socket = optarg;
                break;
            case 'm':
                if (long v = number("--cache-ms", optarg, 0, 600000); v >= 0) {
                    opts.cache = std::chrono::milliseconds(v);
                    break;
                }
                return 2;
            case 'p':
                if (long v = number("--ping-interval", optarg, 1, 3600); v >= 0) {
                    ping_interval = static_cast<int>(v);
                    break;
                }
                return 2;
            case 'P':
                if (long v = number("--priority", optarg, 1, 255); v >= 0) {
                    opts.priority = static_cast<int>(v);
                    break;
                }
                return 2;
            case 'd':
                debug = true;
                break;
            case 'h':
                usage(stdout);
                return 0;
            default:
                usage(stderr);
                return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    // A write to a peer that just went away (snmpd or routerd restarting) must be an error
    // return, not a fatal SIGPIPE: both peers come back and the agent reconnects.
    std::signal(SIGPIPE, SIG_IGN);  // NOLINT(concurrency-mt-unsafe): one thread, at start-up
    // No MIB text is loaded: without it Net-SNMP prints "Cannot find module" for every default
    // MIB (lldpd, keepalived, pdns do the same).
    setenv("MIBS", "", 1);  // NOLINT(concurrency-mt-unsafe): one thread, before Net-SNMP starts
    snmp_enable_stderrlog();
    if (debug) {
        debug_register_tokens("agentx");
        snmp_set_do_debugging(1);
    }
    netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
    if (!agentx_socket.empty()) {
        netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
                              agentx_socket.c_str());
    }
    // Quiet while snmpd is down (else one warning per ping interval); the library reconnects.
    netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, 1);
    // A subagent has nothing to persist; never write to /var/lib/snmp. (Not DONT_PERSIST_STATE:
    // in 5.9.3 that also stops every config file from being read, SNMP-AGENT.md 0.)
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SESSION_INIT, session_init,
                           nullptr);
    init_agent("router-agent");
    // After init_agent: agentx_config_init() there resets the ping interval to 15 s. The ping
    // interval is also the reconnect period after snmpd goes away (subagent.c).
    netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
                       ping_interval);

    boost::asio::io_context io;
    routerd::agent::SnmpLoop loop(io);
    routerd::agent::Agent agent(io, loop, opts);
    agent.register_all();
    init_snmp("router-agent");  // connects to the master (POST_READ_CONFIG)
    loop.sync();
    agent.start_events();

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) { io.stop(); });
    std::fprintf(stderr, "router-agent: running (control socket %s)\n",
                 opts.control_socket.c_str());
    io.run();
    snmp_shutdown("router-agent");
    return 0;
}

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "router-agent: %s\n", e.what());
        return 1;
    }
}
