// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP
// canonicalize, cse and dce keep graph.loop valid (and re-parseable); a loop without results
// is dead.
// RUN: ge-opt %s --split-input-file -p canonicalize,cse,dce | ge-opt --split-input-file | filecheck %s --check-prefix=CLEAN

// graph.loop: `graph.loop(%inits) attr-dict : (init types) -> (result types) { ^bb0(%i:
// tensor<i64>, %carried...): ...; graph.yield %next... }`, `trip_count` (>= 1) in the attribute
// dictionary (a property in the generic form); the body may use values of the enclosing
// function (weights, inputs).

// CHECK-LABEL: func.func @accumulate(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: %w = graph.weight "w" : tensor<8x8xf32>
// CHECK-NEXT: %r = graph.loop(%x) {trip_count = 3 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0(%i: tensor<i64>, %a: tensor<4x8xf32>):
// CHECK-NEXT:   %m = graph.matmul %a, %w : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:   %t = graph.tanh %m : tensor<4x8xf32>
// CHECK-NEXT:   %s = graph.add %t, %a : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:   graph.yield %s : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %r : tensor<4x8xf32>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "accumulate"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x8xf32>):
// CHECK-GENERIC-NEXT: %w = "graph.weight"() <{weight_name = "w"}> : () -> tensor<8x8xf32>
// CHECK-GENERIC-NEXT: %r = "graph.loop"(%x) <{trip_count = 3 : i64}> ({
// CHECK-GENERIC-NEXT: ^bb0(%i: tensor<i64>, %a: tensor<4x8xf32>):
// CHECK-GENERIC-NEXT:   %m = "graph.matmul"(%a, %w) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
// CHECK-GENERIC-NEXT:   %t = "graph.tanh"(%m) : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-GENERIC-NEXT:   %s = "graph.add"(%t, %a) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-GENERIC-NEXT:   "graph.yield"(%s) : (tensor<4x8xf32>) -> ()
// CHECK-GENERIC-NEXT: }) : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-GENERIC-NEXT: "func.return"(%r) : (tensor<4x8xf32>) -> ()
// CLEAN-LABEL: func.func @accumulate
// CLEAN-NEXT: %w = graph.weight "w" : tensor<8x8xf32>
// CLEAN-NEXT: %r = graph.loop(%x) {trip_count = 3 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CLEAN-NEXT: ^bb0(%i: tensor<i64>, %a: tensor<4x8xf32>):
// CLEAN-NEXT:   %m = graph.matmul %a, %w
// CLEAN-NEXT:   %t = graph.tanh %m
// CLEAN-NEXT:   %s = graph.add %t, %a
// CLEAN-NEXT:   graph.yield %s : tensor<4x8xf32>
func.func @accumulate(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = graph.weight "w" : tensor<8x8xf32>
  %r = graph.loop(%x) {trip_count = 3 : i64} : (tensor<4x8xf32>) -> (tensor<4x8xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4x8xf32>):
    %m = graph.matmul %a, %w : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
    %t = graph.tanh %m : tensor<4x8xf32>
    %s = graph.add %t, %a : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
    graph.yield %s : tensor<4x8xf32>
  }
  func.return %r : tensor<4x8xf32>
}

// -----

// Several carried values of different types (a KV cache updated at the index), a stream hint
// next to trip_count (printed sorted; in the generic form a discardable attribute).

// CHECK-LABEL: func.func @kv(%x: tensor<2x3xf32>, %c: tensor<4x3xf16>, %u: tensor<1x3xf16>) -> (tensor<2x3xf32>, tensor<4x3xf16>) {
// CHECK-NEXT: %w = graph.weight "w" : tensor<3x3xf32>
// CHECK-NEXT: %r, %k = graph.loop(%x, %c) {stream_id = 1 : i64, trip_count = 4 : i64} : (tensor<2x3xf32>, tensor<4x3xf16>) -> (tensor<2x3xf32>, tensor<4x3xf16>) {
// CHECK-NEXT: ^bb0(%i: tensor<i64>, %a: tensor<2x3xf32>, %kv: tensor<4x3xf16>):
// CHECK-NEXT:   %m = graph.matmul %a, %w : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT:   %kv2 = graph.update_slice %kv, %u, %i {axis = 0 : i64} : tensor<4x3xf16>, tensor<1x3xf16>, tensor<i64> -> tensor<4x3xf16>
// CHECK-NEXT:   graph.yield %m, %kv2 : tensor<2x3xf32>, tensor<4x3xf16>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %r, %k : tensor<2x3xf32>, tensor<4x3xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "kv"
// CHECK-GENERIC: %r, %k = "graph.loop"(%x, %c) <{trip_count = 4 : i64}> ({
// CHECK-GENERIC-NEXT: ^bb0(%i: tensor<i64>, %a: tensor<2x3xf32>, %kv: tensor<4x3xf16>):
// CHECK-GENERIC: "graph.yield"(%m, %kv2) : (tensor<2x3xf32>, tensor<4x3xf16>) -> ()
// CHECK-GENERIC-NEXT: }) {stream_id = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf16>) -> (tensor<2x3xf32>, tensor<4x3xf16>)
// CLEAN-LABEL: func.func @kv
// CLEAN: %r, %k = graph.loop(%x, %c) {stream_id = 1 : i64, trip_count = 4 : i64}
// CLEAN: graph.update_slice %kv, %u, %i {axis = 0 : i64}
func.func @kv(%x: tensor<2x3xf32>, %c: tensor<4x3xf16>, %u: tensor<1x3xf16>) -> (tensor<2x3xf32>, tensor<4x3xf16>) {
  %w = graph.weight "w" : tensor<3x3xf32>
  %r, %k = graph.loop(%x, %c) {trip_count = 4 : i64, stream_id = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf16>) -> (tensor<2x3xf32>, tensor<4x3xf16>) {
  ^bb0(%i: tensor<i64>, %a: tensor<2x3xf32>, %kv: tensor<4x3xf16>):
    %m = graph.matmul %a, %w : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x3xf32>
    %kv2 = graph.update_slice %kv, %u, %i {axis = 0 : i64} : tensor<4x3xf16>, tensor<1x3xf16>, tensor<i64> -> tensor<4x3xf16>
    graph.yield %m, %kv2 : tensor<2x3xf32>, tensor<4x3xf16>
  }
  func.return %r, %k : tensor<2x3xf32>, tensor<4x3xf16>
}

// -----

// A loop with no carried values (only the index; `graph.yield :`), a dead one: dce removes it.

// CHECK-LABEL: func.func @empty() {
// CHECK-NEXT: graph.loop() {trip_count = 1 : i64} : () -> () {
// CHECK-NEXT: ^bb0(%i: tensor<i64>):
// CHECK-NEXT:   graph.yield :
// CHECK-NEXT: }
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "empty"
// CHECK-GENERIC-NEXT: "graph.loop"() <{trip_count = 1 : i64}> ({
// CHECK-GENERIC-NEXT: ^bb0(%i: tensor<i64>):
// CHECK-GENERIC-NEXT:   "graph.yield"() : () -> ()
// CHECK-GENERIC-NEXT: }) : () -> ()
// CLEAN-LABEL: func.func @empty() {
// CLEAN-NEXT: func.return
func.func @empty() {
  graph.loop() {trip_count = 1 : i64} : () -> () {
  ^bb0(%i: tensor<i64>):
    graph.yield :
  }
  func.return
}

// -----

// cse and dce inside a body: duplicate body ops merge, dead ones go, an op equal to a dominating
// outer op is replaced by it; ops reading the carried value stay in the body.

// CLEAN-LABEL: func.func @cleanup(%x: tensor<4xf32>) -> tensor<4xf32> {
// CLEAN-NEXT: %e = graph.exp %x : tensor<4xf32>
// CLEAN-NEXT: %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> tensor<4xf32> {
// CLEAN-NEXT: ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
// CLEAN-NEXT:   %t = graph.tanh %a : tensor<4xf32>
// CLEAN-NEXT:   %s = graph.add %t, %t : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CLEAN-NEXT:   %n = graph.add %s, %e : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CLEAN-NEXT:   graph.yield %n : tensor<4xf32>
// CLEAN-NEXT: }
// CLEAN-NEXT: %o = graph.add %r, %e : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CLEAN-NEXT: func.return %o : tensor<4xf32>
// CHECK-LABEL: func.func @cleanup
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "cleanup"
func.func @cleanup(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = graph.exp %x : tensor<4xf32>
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    %t = graph.tanh %a : tensor<4xf32>
    %t2 = graph.tanh %a : tensor<4xf32>
    %dead = graph.neg %a : tensor<4xf32>
    %s = graph.add %t, %t2 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
    %e2 = graph.exp %x : tensor<4xf32>
    %n = graph.add %s, %e2 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
    graph.yield %n : tensor<4xf32>
  }
  %o = graph.add %r, %e : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  func.return %o : tensor<4xf32>
}
