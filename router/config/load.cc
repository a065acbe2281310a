// SPDX-License-Identifier: Apache-2.0
// load_file / load_from_string: the yaml-cpp boundary (events to Tree, exceptions to diagnostics).
#include "router/config/load.hh"

#include "router/config/schema.hh"
#include "router/config/tree.hh"
#include "router/config/validate.hh"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <unordered_map>
#include <utility>

namespace routerd::config {

namespace {

// yaml-cpp marks are zero-based; a mark of -1 means "no position".
SourceMark to_mark(const YAML::Mark& m) {
    if (m.line < 0 || m.column < 0) {
        return SourceMark{1, 1};
    }
    return SourceMark{m.line + 1, m.column + 1};
}

// Builds a Tree from yaml-cpp's parse events. Event-driven rather than YAML::Load: yaml-cpp's
// node graph costs more than the parse itself on a 100,000-route file, and the events carry
// every position we need (including keys whose value is null).
class TreeBuilder final : public YAML::EventHandler {
public:
    TreeBuilder(Tree& tree, std::size_t input_size) : tree_(tree) {
        // A flow-style route line is about 10 bytes per node; reserving avoids regrowth.
        tree_.nodes.reserve(input_size / 8 + 16);
        spans_.reserve(input_size / 8 + 16);
        tree_.text.reserve(input_size / 2);
    }

    bool second_document() const { return documents_ > 1; }
    SourceMark second_document_mark() const { return second_mark_; }

    // Points every scalar's text into Tree::text, now that it no longer grows.
    void finish() {
        for (std::size_t i = 0; i < tree_.nodes.size(); ++i) {
            if (tree_.nodes[i].kind == TreeNode::Kind::scalar) {
                const Span& s = spans_[i];
                tree_.nodes[i].text = std::string_view(tree_.text).substr(s.offset, s.size);
            }
        }
    }

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++documents_ == 2) {
            second_mark_ = to_mark(mark);
        }
    }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        add(TreeNode::Kind::null, to_mark(mark), anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) {  // yaml-cpp rejects unknown anchors itself; be safe
            add(TreeNode::Kind::null, to_mark(mark), YAML::NullAnchor);
            return;
        }
        std::uint32_t i = add(TreeNode::Kind::alias, to_mark(mark), YAML::NullAnchor);
        tree_.nodes[i].first = it->second;
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        std::uint32_t i = add(TreeNode::Kind::scalar, to_mark(mark), anchor);
        tree_.nodes[i].plain = is_plain_tag(tag);
        spans_[i] = Span{static_cast<std::uint32_t>(tree_.text.size()),
                         static_cast<std::uint32_t>(value.size())};
        tree_.text += value;
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value /*style*/) override {
        open_.push_back(Open{add(TreeNode::Kind::sequence, to_mark(mark), anchor), kNoNode});
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value /*style*/) override {
        open_.push_back(Open{add(TreeNode::Kind::mapping, to_mark(mark), anchor), kNoNode});
    }
    void OnMapEnd() override { close(); }

private:
    struct Span {
        std::uint32_t offset = 0;
        std::uint32_t size = 0;
    };
    struct Open {
        std::uint32_t node;
        std::uint32_t last_child;
    };

    // "?" is a plain scalar; "!" a quoted one; a YAML core tag keeps its type's plainness.
    static bool is_plain_tag(const std::string& tag) {
        if (tag == "?") {
            return true;
        }
        static constexpr std::string_view kCore = "tag:yaml.org,2002:";
        std::string_view t(tag);
        if (t.substr(0, kCore.size()) != kCore) {
            return false;
        }
        t.remove_prefix(kCore.size());
        return t == "int" || t == "bool" || t == "float" || t == "null";
    }

    std::uint32_t add(TreeNode::Kind kind, SourceMark mark, YAML::anchor_t anchor) {
        auto i = static_cast<std::uint32_t>(tree_.nodes.size());
        TreeNode& n = tree_.nodes.emplace_back();
        n.kind = kind;
        n.mark = mark;
        spans_.emplace_back();
        if (anchor != YAML::NullAnchor) {
            anchors_[anchor] = i;
        }
        if (documents_ > 1) {
            return i;  // only the first document is kept; the second is an error
        }
        if (open_.empty()) {
            if (tree_.root == kNoNode) {
                tree_.root = i;
            }
            return i;
        }
        Open& parent = open_.back();
        if (parent.last_child == kNoNode) {
            tree_.nodes[parent.node].first = i;
        } else {
            tree_.nodes[parent.last_child].next = i;
        }
        parent.last_child = i;
        ++tree_.nodes[parent.node].count;
        return i;
    }

    void close() {
        if (!open_.empty()) {
            open_.pop_back();
        }
    }

    Tree& tree_;
    std::vector<Span> spans_;  // parallel to tree_.nodes until finish()
    std::vector<Open> open_;
    std::unordered_map<YAML::anchor_t, std::uint32_t> anchors_;
    int documents_ = 0;
    SourceMark second_mark_;
};

// Parses text into tree; false (with the error recorded) on a YAML syntax error or a second
// document. yaml-cpp cannot resume after a syntax error, so that error is the only one.
bool build_tree(std::string_view text, Tree& tree, DiagnosticList& out) {
    std::istringstream in{std::string(text)};
    TreeBuilder builder(tree, text.size());
    try {
        YAML::Parser parser(in);
        // Two documents are enough to know the file has more than one.
        if (parser.HandleNextDocument(builder)) {
            parser.HandleNextDocument(builder);
        }
    } catch (const YAML::Exception& e) {
        out.error(to_mark(e.mark), "YAML syntax error: " + e.msg);
        return false;
    }
    builder.finish();
    if (builder.second_document()) {
        out.error(builder.second_document_mark(),
                  "only one YAML document is allowed (a second one starts here)");
        return false;
    }
    return true;
}

}  // namespace

LoadResult load_from_string(std::string_view text, const std::string& display_name) {
    LoadResult result;
    result.config.source.file = display_name;
    DiagnosticList out(display_name);
    Tree tree;
    if (text.size() > kMaxFileSize) {
        out.error(SourceMark{1, 1},
                  "configuration is larger than " + std::to_string(kMaxFileSize >> 20) + " MiB");
    } else if (build_tree(text, tree, out)) {
        if (tree.root == kNoNode || tree.at(tree.root).kind == TreeNode::Kind::null) {
            out.error(SourceMark{1, 1},
                      "empty configuration (expected a mapping with keys ip, "
                      "interfaces, routes, control)");
        } else {
            read_config(tree, result.config, out);
            validate(result.config, out);
        }
    }
    result.diagnostics = std::move(out).take();
    return result;
}

LoadResult load_file(const std::string& path) {
    auto cannot_read = [&path](const std::string& reason) {
        LoadResult result;
        result.config.source.file = path;
        result.diagnostics.push_back(
            Diagnostic{path, 0, 0, Severity::error, "cannot read: " + reason});
        return result;
    };
    auto errno_text = [] { return std::error_code(errno, std::generic_category()).message(); };

    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return cannot_read(errno_text());
    }
    std::string text;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (static_cast<std::size_t>(st.st_size) > kMaxFileSize) {
            ::close(fd);
            return cannot_read("larger than " + std::to_string(kMaxFileSize >> 20) + " MiB");
        }
        text.reserve(static_cast<std::size_t>(st.st_size));
    }
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            std::string reason = errno_text();
            ::close(fd);
            return cannot_read(reason);
        }
        if (n == 0) {
            break;
        }
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > kMaxFileSize) {
            ::close(fd);
            return cannot_read("larger than " + std::to_string(kMaxFileSize >> 20) + " MiB");
        }
    }
    ::close(fd);
    return load_from_string(text, path);
}

}  // namespace routerd::config
