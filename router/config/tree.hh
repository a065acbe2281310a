// SPDX-License-Identifier: Apache-2.0
// Tree: the parsed YAML document as compact nodes with positions (no yaml-cpp types).
#pragma once

#include "router/config/config.hh"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace routerd::config {

inline constexpr std::uint32_t kNoNode = UINT32_MAX;

// One YAML node. Children are a linked list (first, next) so a 100,000-route file costs no
// allocation per node. An alias is a node of its own whose `first` is the anchored node, so a
// tree may share nodes (and, with a self-referencing anchor, hold a cycle); readers walk only
// the schema's fixed depth, so neither costs more than the file's size.
struct TreeNode {
    enum class Kind : std::uint8_t { null, scalar, sequence, mapping, alias };

    Kind kind = Kind::null;
    bool plain = true;              // a scalar written without quotes or a string tag
    SourceMark mark;                // one-based
    std::string_view text;          // scalars; points into Tree::text
    std::uint32_t count = 0;        // containers: number of children
    std::uint32_t first = kNoNode;  // containers: first child; alias: the anchored node
    std::uint32_t next = kNoNode;   // the next child of the same parent
};

class Tree {
public:
    // The node at `index`, aliases resolved.
    const TreeNode& at(std::uint32_t index) const {
        const TreeNode& n = nodes[index];
        return n.kind == TreeNode::Kind::alias ? nodes[n.first] : n;
    }

    // The children of a container in order (a mapping's are key, value, key, value ...), as
    // indices for at().
    class ChildIterator {
    public:
        ChildIterator(const Tree& tree, std::uint32_t i) : tree_(&tree), i_(i) {}
        std::uint32_t operator*() const { return i_; }
        ChildIterator& operator++() {
            i_ = tree_->nodes[i_].next;
            return *this;
        }
        bool operator==(const ChildIterator& o) const { return i_ == o.i_; }

    private:
        const Tree* tree_;
        std::uint32_t i_;
    };
    struct Children {
        ChildIterator b, e;
        ChildIterator begin() const { return b; }
        ChildIterator end() const { return e; }
    };
    Children children(const TreeNode& container) const {
        return Children{ChildIterator(*this, container.first), ChildIterator(*this, kNoNode)};
    }

    std::vector<TreeNode> nodes;
    std::string text;  // every scalar's value, back to back
    std::uint32_t root = kNoNode;
};

}  // namespace routerd::config
