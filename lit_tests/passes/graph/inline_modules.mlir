// RUN: ge-opt %s --split-input-file --verify-diagnostics -p inline-modules | filecheck %s

// inline-modules: every func.call of a function of the module is replaced by the callee's body
// (calls inside graph.if branches too). A callee's stream_id becomes the hint of each inlined
// op without one of its own (the op's own hint wins); private callees are erased once inlined,
// public ones are kept; recursion and calls of declarations are errors.

// CHECK-LABEL: func.func @pub(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %a = graph.relu %x : tensor<4xf32>
// CHECK-NEXT:    func.return %a : tensor<4xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  func.func @main(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %a = graph.exp %x {stream_id = 2 : i64} : tensor<4xf32>
// CHECK-NEXT:    %b = graph.neg %a {stream_id = 1 : i64} : tensor<4xf32>
// CHECK-NEXT:    %i = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
// CHECK-NEXT:      %a_1 = graph.relu %b : tensor<4xf32>
// CHECK-NEXT:      graph.yield %a_1 : tensor<4xf32>
// CHECK-NEXT:    } else {
// CHECK-NEXT:      %a_2 = graph.exp %b {stream_id = 2 : i64} : tensor<4xf32>
// CHECK-NEXT:      %b_1 = graph.neg %a_2 {stream_id = 1 : i64} : tensor<4xf32>
// CHECK-NEXT:      graph.yield %b_1 : tensor<4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %i : tensor<4xf32>
// CHECK-NEXT:  }
// CHECK-NEXT: }
// CHECK-NOT: @enc
func.func private @enc(%x: tensor<4xf32>) -> tensor<4xf32> attributes {stream_id = 2 : i64} {
  %a = graph.exp %x : tensor<4xf32>
  %b = graph.neg %a {stream_id = 1 : i64} : tensor<4xf32>
  func.return %b : tensor<4xf32>
}
func.func @pub(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = graph.relu %x : tensor<4xf32>
  func.return %a : tensor<4xf32>
}
func.func @main(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @enc(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %i = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %p = func.call @pub(%r) : (tensor<4xf32>) -> tensor<4xf32>
    graph.yield %p : tensor<4xf32>
  } else {
    %q = func.call @enc(%r) : (tensor<4xf32>) -> tensor<4xf32>
    graph.yield %q : tensor<4xf32>
  }
  func.return %i : tensor<4xf32>
}

// -----

// Calls through two levels (a module calling a helper): both inlined, the outer module's hint
// reaches the helper's ops that have none; results pass through (a callee returning its
// argument), and an unused private function that is never called stays.

// CHECK-LABEL: func.func private @unused(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK:       func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %t = graph.tanh %x {stream_id = 3 : i64} : tensor<4xf32>
// CHECK-NEXT:    %s = graph.sigmoid %t {stream_id = 3 : i64} : tensor<4xf32>
// CHECK-NEXT:    %0 = graph.add %s, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT:    func.return %0 : tensor<4xf32>
// CHECK-NEXT:  }
// CHECK-NOT: @outer
// CHECK-NOT: @helper
// CHECK-NOT: @ident
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = graph.sigmoid %x : tensor<4xf32>
  func.return %s : tensor<4xf32>
}
func.func private @outer(%x: tensor<4xf32>) -> tensor<4xf32> attributes {stream_id = 3 : i64} {
  %t = graph.tanh %x : tensor<4xf32>
  %h = func.call @helper(%t) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %h : tensor<4xf32>
}
func.func private @ident(%x: tensor<4xf32>) -> tensor<4xf32> {
  func.return %x : tensor<4xf32>
}
func.func private @unused(%x: tensor<4xf32>) -> tensor<4xf32> {
  func.return %x : tensor<4xf32>
}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %o = func.call @outer(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %y = func.call @ident(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %0 = graph.add %o, %y : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: inline_modules.mlir:[[# @LINE + 3]]:3: error: @rec calls itself: cannot inline
// CHECK-NOT: error
func.func private @rec(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = func.call @rec(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %a : tensor<4xf32>
}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @rec(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}

// -----

// Mutual recursion: once @b is inlined into @a, @a calls itself.
// CHECK: // {{-+}}
// CHECK-NEXT: inline_modules.mlir:{{[0-9]+}}:3: error: @a calls itself: cannot inline
// CHECK-NOT: error
func.func private @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @b(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}
func.func private @b(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @a(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @a(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: inline_modules.mlir:[[# @LINE + 4]]:3: error: call of @decl, which has no body here
// CHECK-NOT: error
func.func private @decl(%x: tensor<4xf32>) -> tensor<4xf32>
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @decl(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}
