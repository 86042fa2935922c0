// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP
// canonicalize, cse and dce keep graph.if valid (and re-parseable).
// RUN: ge-opt %s --split-input-file -p canonicalize,cse,dce | ge-opt --split-input-file | filecheck %s --check-prefix=CLEAN

// graph.if: `graph.if %c attr-dict : tensor<i1> -> (types) { ...; graph.yield } else { ... }`,
// a one-element i1 condition, two single-block branches without arguments that may use values
// of the enclosing function, each ending in graph.yield of the result types.

// CHECK-LABEL: func.func @select(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CHECK-NEXT:   %a = graph.exp %x : tensor<4xf32>
// CHECK-NEXT:   graph.yield %a : tensor<4xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT:   %b = graph.neg %x : tensor<4xf32>
// CHECK-NEXT:   graph.yield %b : tensor<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %r : tensor<4xf32>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "select"
// CHECK-GENERIC-NEXT: ^bb0(%c: tensor<i1>, %x: tensor<4xf32>):
// CHECK-GENERIC-NEXT: %r = "graph.if"(%c) ({
// CHECK-GENERIC-NEXT:   %a = "graph.exp"(%x) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-GENERIC-NEXT:   "graph.yield"(%a) : (tensor<4xf32>) -> ()
// CHECK-GENERIC-NEXT: }, {
// CHECK-GENERIC-NEXT:   %b = "graph.neg"(%x) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-GENERIC-NEXT:   "graph.yield"(%b) : (tensor<4xf32>) -> ()
// CHECK-GENERIC-NEXT: }) : (tensor<i1>) -> tensor<4xf32>
// CHECK-GENERIC-NEXT: "func.return"(%r) : (tensor<4xf32>) -> ()
// CLEAN-LABEL: func.func @select
// CLEAN-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CLEAN-NEXT:   %a = graph.exp %x : tensor<4xf32>
// CLEAN-NEXT:   graph.yield %a : tensor<4xf32>
// CLEAN-NEXT: } else {
// CLEAN-NEXT:   %b = graph.neg %x : tensor<4xf32>
// CLEAN-NEXT:   graph.yield %b : tensor<4xf32>
// CLEAN-NEXT: }
func.func @select(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %a = graph.exp %x : tensor<4xf32>
    graph.yield %a : tensor<4xf32>
  } else {
    %b = graph.neg %x : tensor<4xf32>
    graph.yield %b : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// Several results of different types, a tensor<1xi1> condition, an attribute dictionary,
// weights inside a branch, outer values yielded directly.

// CHECK-LABEL: func.func @multi(%c: tensor<1xi1>, %x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xf16>) {
// CHECK-NEXT: %w = graph.weight "w" : tensor<2xf16>
// CHECK-NEXT: %r, %s = graph.if %c {stream_id = 1 : i64} : tensor<1xi1> -> (tensor<2x3xf32>, tensor<2xf16>) {
// CHECK-NEXT:   %v = graph.weight "then.v" : tensor<2xf16>
// CHECK-NEXT:   graph.yield %x, %v : tensor<2x3xf32>, tensor<2xf16>
// CHECK-NEXT: } else {
// CHECK-NEXT:   %t = graph.tanh %x : tensor<2x3xf32>
// CHECK-NEXT:   graph.yield %t, %w : tensor<2x3xf32>, tensor<2xf16>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %r, %s : tensor<2x3xf32>, tensor<2xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "multi"
// CHECK-GENERIC: %r, %s = "graph.if"(%c) ({
// CHECK-GENERIC: }) {stream_id = 1 : i64} : (tensor<1xi1>) -> (tensor<2x3xf32>, tensor<2xf16>)
// CLEAN-LABEL: func.func @multi
// CLEAN: %r, %s = graph.if %c {stream_id = 1 : i64} : tensor<1xi1> -> (tensor<2x3xf32>, tensor<2xf16>) {
func.func @multi(%c: tensor<1xi1>, %x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xf16>) {
  %w = graph.weight "w" : tensor<2xf16>
  %r, %s = graph.if %c {stream_id = 1 : i64} : tensor<1xi1> -> (tensor<2x3xf32>, tensor<2xf16>) {
    %v = graph.weight "then.v" : tensor<2xf16>
    graph.yield %x, %v : tensor<2x3xf32>, tensor<2xf16>
  } else {
    %t = graph.tanh %x : tensor<2x3xf32>
    graph.yield %t, %w : tensor<2x3xf32>, tensor<2xf16>
  }
  func.return %r, %s : tensor<2x3xf32>, tensor<2xf16>
}

// -----

// Nested graph.if (valid IR; only the lowering rejects it) and a graph.if with no results (an
// empty graph.yield prints as `graph.yield :`).

// CHECK-LABEL: func.func @nested(%c: tensor<i1>, %k: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: graph.if %k : tensor<i1> -> () {
// CHECK-NEXT:   graph.yield :
// CHECK-NEXT: } else {
// CHECK-NEXT:   graph.yield :
// CHECK-NEXT: }
// CHECK-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CHECK-NEXT:   %i = graph.if %k : tensor<i1> -> (tensor<4xf32>) {
// CHECK-NEXT:     %a = graph.relu %x : tensor<4xf32>
// CHECK-NEXT:     graph.yield %a : tensor<4xf32>
// CHECK-NEXT:   } else {
// CHECK-NEXT:     graph.yield %x : tensor<4xf32>
// CHECK-NEXT:   }
// CHECK-NEXT:   graph.yield %i : tensor<4xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT:   graph.yield %x : tensor<4xf32>
// CHECK-NEXT: }
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "nested"
// CHECK-GENERIC: "graph.if"(%k) ({
// CHECK-GENERIC: }) : (tensor<i1>) -> ()
// The empty graph.if is dead: dce removes it, the nested one stays.
// CLEAN-LABEL: func.func @nested
// CLEAN-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CLEAN-NEXT:   %i = graph.if %k : tensor<i1> -> (tensor<4xf32>) {
func.func @nested(%c: tensor<i1>, %k: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  graph.if %k : tensor<i1> -> () {
    graph.yield :
  } else {
    graph.yield :
  }
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %i = graph.if %k : tensor<i1> -> (tensor<4xf32>) {
      %a = graph.relu %x : tensor<4xf32>
      graph.yield %a : tensor<4xf32>
    } else {
      graph.yield %x : tensor<4xf32>
    }
    graph.yield %i : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// cse: a branch op equal to a dominating outer op is replaced by it; ops of sibling branches
// are never merged (neither dominates the other); dead ops inside a branch and an unused
// graph.if go.

// CLEAN-LABEL: func.func @cleanup(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
// CLEAN-NEXT: %e = graph.exp %x : tensor<4xf32>
// CLEAN-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CLEAN-NEXT:   %s = graph.add %e, %e : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CLEAN-NEXT:   %n = graph.neg %s : tensor<4xf32>
// CLEAN-NEXT:   graph.yield %n : tensor<4xf32>
// CLEAN-NEXT: } else {
// CLEAN-NEXT:   %n_1 = graph.neg %e : tensor<4xf32>
// CLEAN-NEXT:   graph.yield %n_1 : tensor<4xf32>
// CLEAN-NEXT: }
// CLEAN-NEXT: func.return %r : tensor<4xf32>
// CHECK-LABEL: func.func @cleanup
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "cleanup"
func.func @cleanup(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %e = graph.exp %x : tensor<4xf32>
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %a = graph.exp %x : tensor<4xf32>
    %dead = graph.tanh %x : tensor<4xf32>
    %s = graph.add %a, %e : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
    %n = graph.neg %s : tensor<4xf32>
    graph.yield %n : tensor<4xf32>
  } else {
    %n = graph.neg %e : tensor<4xf32>
    graph.yield %n : tensor<4xf32>
  }
  %unused = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    graph.yield %x : tensor<4xf32>
  } else {
    graph.yield %e : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}
