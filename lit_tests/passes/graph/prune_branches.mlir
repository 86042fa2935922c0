// RUN: ge-opt %s --split-input-file -p prune | filecheck %s
// RUN: ge-opt %s --split-input-file -p 'prune{report=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REPORT
// The result re-parses; pruning again removes nothing more.
// RUN: ge-opt %s --split-input-file -p prune | ge-opt --split-input-file -p 'prune{report=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=AGAIN

// prune and graph.if: a graph.constant condition keeps only the branch it selects (its ops move
// in front of the graph.if, the other branch and the graph.if are removed and counted); with a
// runtime condition both branches are pruned against their yields.

// false: the else branch is inlined (its dead exp pruned); the then branch, its weights
// (then.w2, 1000 x f32, and then.w read only by it, 4 x f32: 4016 bytes), the graph.if and the
// constant go: mul, then.w2, exp (then) + exp (dead, else) + graph.if + constant + then.w = 7.
// CHECK-LABEL: func.func @take_else(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %v = graph.weight "else.w" : tensor<4xf32>
// CHECK-NEXT:    %b = graph.add %x, %v : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT:    func.return %b : tensor<4xf32>
// CHECK-NEXT:  }
// REPORT: prune: removed 7 ops (2 weights, 4.0 kB of weights) from @take_else
// AGAIN: prune: removed 0 ops from @take_else
func.func @take_else(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = graph.constant dense<false> : tensor<i1>
  %w = graph.weight "then.w" : tensor<4xf32>
  %v = graph.weight "else.w" : tensor<4xf32>
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %a = graph.mul %x, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
    %t = graph.weight "then.w2" : tensor<1000xf32>
    %a2 = graph.exp %a : tensor<4xf32>
    graph.yield %a2 : tensor<4xf32>
  } else {
    %dead = graph.exp %x : tensor<4xf32>
    %b = graph.add %x, %v : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
    graph.yield %b : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// true (a tensor<1xi1> splat): the then branch is inlined in order, in front of the ops after
// the graph.if. The else branch reads weight "shared" that the then branch also reads: its
// graph.weight op counts as removed, but its bytes do not (the weight stays in use). Removed:
// else's weight op + neg, the graph.if, the constant = 4 ops, 1 weight, 0 bytes.
// CHECK-LABEL: func.func @take_then(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %s = graph.weight "shared" : tensor<4xf32>
// CHECK-NEXT:    %a = graph.mul %x, %s : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT:    %b = graph.relu %a : tensor<4xf32>
// CHECK-NEXT:    %o = graph.tanh %b : tensor<4xf32>
// CHECK-NEXT:    func.return %o : tensor<4xf32>
// CHECK-NEXT:  }
// REPORT: prune: removed 4 ops (1 weight, 0 B of weights) from @take_then
// AGAIN: prune: removed 0 ops from @take_then
func.func @take_then(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = graph.constant dense<true> : tensor<1xi1>
  %r = graph.if %c : tensor<1xi1> -> (tensor<4xf32>) {
    %s = graph.weight "shared" : tensor<4xf32>
    %a = graph.mul %x, %s : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
    %b = graph.relu %a : tensor<4xf32>
    graph.yield %b : tensor<4xf32>
  } else {
    %s2 = graph.weight "shared" : tensor<4xf32>
    %n = graph.neg %s2 : tensor<4xf32>
    graph.yield %n : tensor<4xf32>
  }
  %o = graph.tanh %r : tensor<4xf32>
  func.return %o : tensor<4xf32>
}

// -----

// The taken branch yields an outer value directly: the graph.if's uses take it.
// CHECK-LABEL: func.func @yield_outer(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %o = graph.sigmoid %x : tensor<4xf32>
// CHECK-NEXT:    func.return %o : tensor<4xf32>
// CHECK-NEXT:  }
// REPORT: prune: removed 3 ops from @yield_outer
func.func @yield_outer(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = graph.constant dense<false> : tensor<i1>
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %e = graph.exp %x : tensor<4xf32>
    graph.yield %e : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  %o = graph.sigmoid %r : tensor<4xf32>
  func.return %o : tensor<4xf32>
}

// -----

// A runtime condition (a function input): both branches stay, each pruned against its yield.
// CHECK-LABEL: func.func @runtime(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CHECK-NEXT:      %e = graph.exp %x : tensor<4xf32>
// CHECK-NEXT:      graph.yield %e : tensor<4xf32>
// CHECK-NEXT:    } else {
// CHECK-NEXT:      %n = graph.neg %x : tensor<4xf32>
// CHECK-NEXT:      graph.yield %n : tensor<4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %r : tensor<4xf32>
// REPORT: prune: removed 3 ops (1 weight, 64 B of weights) from @runtime
// AGAIN: prune: removed 0 ops from @runtime
func.func @runtime(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %w = graph.weight "dead.w" : tensor<16xf32>
    %e = graph.exp %x : tensor<4xf32>
    %d = graph.relu %w : tensor<16xf32>
    graph.yield %e : tensor<4xf32>
  } else {
    %t = graph.tanh %x : tensor<4xf32>
    %n = graph.neg %x : tensor<4xf32>
    graph.yield %n : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// A constant-condition graph.if nested in a runtime one is inlined into its branch.
// CHECK-LABEL: func.func @nested(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CHECK-NEXT:      %n = graph.neg %x : tensor<4xf32>
// CHECK-NEXT:      graph.yield %n : tensor<4xf32>
// CHECK-NEXT:    } else {
// CHECK-NEXT:      graph.yield %x : tensor<4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %r : tensor<4xf32>
// REPORT: prune: removed 3 ops from @nested
func.func @nested(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %k = graph.constant dense<false> : tensor<i1>
    %i = graph.if %k : tensor<i1> -> (tensor<4xf32>) {
      %e = graph.exp %x : tensor<4xf32>
      graph.yield %e : tensor<4xf32>
    } else {
      %n = graph.neg %x : tensor<4xf32>
      graph.yield %n : tensor<4xf32>
    }
    graph.yield %i : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}
