// SPDX-License-Identifier: Apache-2.0
// The raw Net-SNMP handler over a Provider: GET, GETNEXT and the SET phases (RESERVE1 checks,
// ACTION applies through routerd and remembers the old value, UNDO restores it, COMMIT drops
// cached data) — agent/snmp_agent.h modes, subagent.c's AgentX TestSet/CommitSet/UndoSet.
#include "agent/snmp/registry.hh"

#include "agent/snmp/netsnmp.hh"

#include <cstring>

namespace routerd::agent {

namespace {

constexpr const char* kSetStateKey = "routerd_set";

struct HandlerCtx {
    std::shared_ptr<Provider> provider;
    Oid root;
};

// One SET varbind's state from RESERVE1 to FREE (netsnmp_request_add_list_data keeps it).
struct SetState {
    Writer writer;
    std::int64_t value = 0;
    std::optional<std::int64_t> old;
    bool applied = false;
};

void free_set_state(void* p) {
    delete static_cast<SetState*>(p);
}

Oid to_oid(const oid* name, size_t len) {
    return Oid(name, name + len);
}

void set_value(netsnmp_variable_list* vb, const Value& v) {
    switch (v.type) {
        case Asn::integer: {
            long x = static_cast<long>(v.as_int());
            snmp_set_var_typed_value(vb, ASN_INTEGER, &x, sizeof(x));
            return;
        }
        case Asn::counter32:
        case Asn::gauge32:
        case Asn::time_ticks: {
            // Net-SNMP keeps 32-bit types in a u_long.
            u_long x = static_cast<u_long>(v.num);
            snmp_set_var_typed_value(vb, static_cast<u_char>(v.type), &x, sizeof(x));
            return;
        }
        case Asn::counter64: {
            counter64 c{};
            c.high = static_cast<u_long>(v.num >> 32);
            c.low = static_cast<u_long>(v.num & 0xffffffffu);
            snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c));
            return;
        }
        case Asn::octets:
        case Asn::ip_address:
            snmp_set_var_typed_value(vb, static_cast<u_char>(v.type), v.bytes.data(),
                                     v.bytes.size());
            return;
        case Asn::object_id: {
            std::vector<oid> o(v.oid.begin(), v.oid.end());
            snmp_set_var_typed_value(vb, ASN_OBJECT_ID, o.data(), o.size() * sizeof(oid));
            return;
        }
        case Asn::null:
            break;
    }
    snmp_set_var_typed_value(vb, ASN_NULL, nullptr, 0);
}

void set_error(netsnmp_agent_request_info* ri, netsnmp_request_info* r, SnmpErr e) {
    netsnmp_set_request_error(ri, r, static_cast<int>(e));
}

void handle_reserve1(HandlerCtx& ctx, netsnmp_agent_request_info* ri, netsnmp_request_info* r) {
    Oid name = to_oid(r->requestvb->name, r->requestvb->name_length);
    if (!oid_has_prefix(name, ctx.root)) {
        set_error(ri, r, SnmpErr::no_creation);
        return;
    }
    auto target = ctx.provider->set_target(name);
    if (target.error != SnmpErr::no_error) {
        set_error(ri, r, target.error);
        return;
    }
    // RFC 3416 4.2.5: wrongType before wrongValue.
    if (r->requestvb->type != static_cast<u_char>(target.writer.type) ||
        r->requestvb->val_len != sizeof(long) || r->requestvb->val.integer == nullptr) {
        set_error(ri, r, SnmpErr::wrong_type);
        return;
    }
    std::int64_t v = *r->requestvb->val.integer;
    if (auto e = target.writer.check(v); e != SnmpErr::no_error) {
        set_error(ri, r, e);
        return;
    }
    auto* st = new SetState{std::move(target.writer), v, std::nullopt, false};
    netsnmp_request_add_list_data(r, netsnmp_create_data_list(kSetStateKey, st, free_set_state));
}

void handle_action(HandlerCtx& ctx, netsnmp_agent_request_info* ri, netsnmp_request_info* r) {
    auto* st = static_cast<SetState*>(netsnmp_request_get_list_data(r, kSetStateKey));
    if (st == nullptr) {
        set_error(ri, r, SnmpErr::gen_err);
        return;
    }
    if (st->writer.current) {
        if (auto cur = st->writer.current(); cur) {
            st->old = *cur;
        }
    }
    if (auto s = st->writer.apply(st->value); !s) {
        snmp_log(LOG_WARNING, "router-agent: routerd refused the SET: %s\n",
                 s.error().message.c_str());
        set_error(ri, r, SnmpErr::commit_failed);
        return;
    }
    st->applied = true;
    ctx.provider->invalidate();
}

void handle_undo(HandlerCtx& ctx, netsnmp_request_info* r) {
    auto* st = static_cast<SetState*>(netsnmp_request_get_list_data(r, kSetStateKey));
    if (st == nullptr || !st->applied || !st->old) {
        return;
    }
    if (auto s = st->writer.apply(*st->old); !s) {
        snmp_log(LOG_ERR, "router-agent: undo failed: %s\n", s.error().message.c_str());
    }
    st->applied = false;
    ctx.provider->invalidate();
}

int handler(netsnmp_mib_handler* h, netsnmp_handler_registration*, netsnmp_agent_request_info* ri,
            netsnmp_request_info* requests) {
    auto& ctx = *static_cast<HandlerCtx*>(h->myvoid);
    for (auto* r = requests; r != nullptr; r = r->next) {
        if (r->processed != 0) {
            continue;
        }
        switch (ri->mode) {
            case MODE_GET: {
                Oid name = to_oid(r->requestvb->name, r->requestvb->name_length);
                std::optional<Value> v;
                if (oid_has_prefix(name, ctx.root)) {
                    v = ctx.provider->get(name);
                }
                if (v) {
                    set_value(r->requestvb, *v);
                } else {
                    netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
                }
                break;
            }
            case MODE_GETNEXT: {
                Oid name = to_oid(r->requestvb->name, r->requestvb->name_length);
                bool inclusive = r->inclusive != 0;
                if (name < ctx.root) {
                    name = ctx.root;
                    inclusive = true;
                }
                auto vb = ctx.provider->next(name, inclusive);
                // Nothing left in this subtree: leave the varbind untouched and the agent asks
                // the next registration (snmp_agent.c handle_getnext_loop).
                if (vb && oid_has_prefix(vb->oid, ctx.root)) {
                    std::vector<oid> o(vb->oid.begin(), vb->oid.end());
                    snmp_set_var_objid(r->requestvb, o.data(), o.size());
                    set_value(r->requestvb, vb->value);
                }
                break;
            }
            case MODE_SET_RESERVE1:
                handle_reserve1(ctx, ri, r);
                break;
            case MODE_SET_ACTION:
                handle_action(ctx, ri, r);
                break;
            case MODE_SET_UNDO:
                handle_undo(ctx, r);
                break;
            case MODE_SET_COMMIT:
                ctx.provider->invalidate();
                break;
            default:  // RESERVE2, FREE: nothing to do (FREE releases SetState with the request)
                break;
        }
    }
    return SNMP_ERR_NOERROR;
}

}  // namespace

void register_provider(const std::shared_ptr<Provider>& p, const Oid& root, const std::string& name,
                       bool writable, int priority) {
    std::vector<oid> o(root.begin(), root.end());
    auto* reg =
        netsnmp_create_handler_registration(name.c_str(), handler, o.data(), o.size(),
                                            writable ? HANDLER_CAN_RWRITE : HANDLER_CAN_RONLY);
    // Lives as long as the registration, i.e. the process.
    reg->handler->myvoid = new HandlerCtx{p, root};
    reg->priority = priority;
    if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
        snmp_log(LOG_ERR, "router-agent: cannot register %s\n", name.c_str());
    }
}

void send_notification(const std::vector<Varbind>& vbs) {
    netsnmp_variable_list* vars = nullptr;
    for (const auto& vb : vbs) {
        std::vector<oid> o(vb.oid.begin(), vb.oid.end());
        auto* v = snmp_varlist_add_variable(&vars, o.data(), o.size(), ASN_NULL, nullptr, 0);
        if (v != nullptr) {
            set_value(v, vb.value);
        }
    }
    send_v2trap(vars);
    snmp_free_varbind(vars);
}

}  // namespace routerd::agent

namespace routerd::agent {
std::uint64_t master_uptime_ticks() {
    return netsnmp_get_agent_uptime();
}
}  // namespace routerd::agent
