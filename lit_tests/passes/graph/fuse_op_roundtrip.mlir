// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.fused / graph.yield, the ops the fuse pass builds: custom form
// `graph.fused(inputs) {attrs} : (types) -> (types) { body }` with `kind` in the attribute
// dictionary (elided when it is the default, "generic"), a body isolated from above whose
// block arguments are the inputs, ending in graph.yield. Generic form: kind is a property.

// CHECK-LABEL: func.func @kinds(%x: tensor<4xf32>, %y: tensor<2x2xf32>) -> (tensor<4xf32>, tensor<2x2xf32>) {
// CHECK-NEXT: %0, %1 = graph.fused(%x, %y) {stream_id = 1 : i64, kind = "elementwise"} : (tensor<4xf32>, tensor<2x2xf32>) -> (tensor<4xf32>, tensor<2x2xf32>) {
// CHECK-NEXT: ^bb0(%a: tensor<4xf32>, %b: tensor<2x2xf32>):
// CHECK-NEXT: %c = graph.constant dense<2.000000e+00> : tensor<f32>
// CHECK-NEXT: %s = graph.mul %b, %c : tensor<2x2xf32>, tensor<f32> -> tensor<2x2xf32>
// CHECK-NEXT: %e = graph.exp %a : tensor<4xf32>
// CHECK-NEXT: graph.yield %e, %s : tensor<4xf32>, tensor<2x2xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %2 = graph.fused(%x) : (tensor<4xf32>) -> tensor<2x2xf32> {
// CHECK-NEXT: ^bb0(%a: tensor<4xf32>):
// CHECK-NEXT: %r = graph.reshape %a : tensor<4xf32> -> tensor<2x2xf32>
// CHECK-NEXT: graph.yield %r : tensor<2x2xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %3 = graph.fused(%y) : (tensor<2x2xf32>) -> tensor<2x2xf32> {
// CHECK-NEXT: ^bb0(%b: tensor<2x2xf32>):
// CHECK-NEXT: graph.yield %b : tensor<2x2xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %4 = graph.fused(%y, %y) {kind = "contraction"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> {
// CHECK: %5 = graph.fused(%y) {kind = "reduction"} : (tensor<2x2xf32>) -> tensor<2x2xf32> {
// CHECK: %6 = graph.fused(%y, %y, %y) {kind = "attention"} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> {
// CHECK: func.return %0, %1 : tensor<4xf32>, tensor<2x2xf32>

// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "kinds"
// CHECK-GENERIC: %0, %1 = "graph.fused"(%x, %y) <{kind = "elementwise"}> ({
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<4xf32>, %b: tensor<2x2xf32>):
// CHECK-GENERIC-NEXT: %c = "graph.constant"() <{value = dense<2.000000e+00> : tensor<f32>}> : () -> tensor<f32>
// CHECK-GENERIC-NEXT: %s = "graph.mul"(%b, %c) : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
// CHECK-GENERIC-NEXT: %e = "graph.exp"(%a) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-GENERIC-NEXT: "graph.yield"(%e, %s) : (tensor<4xf32>, tensor<2x2xf32>) -> ()
// CHECK-GENERIC-NEXT: }) {stream_id = 1 : i64} : (tensor<4xf32>, tensor<2x2xf32>) -> (tensor<4xf32>, tensor<2x2xf32>)
// The default kind is printed in the generic form.
// CHECK-GENERIC-NEXT: %2 = "graph.fused"(%x) <{kind = "generic"}> ({
// CHECK-GENERIC: %3 = "graph.fused"(%y) <{kind = "generic"}> ({
func.func @kinds(%x: tensor<4xf32>, %y: tensor<2x2xf32>) -> (tensor<4xf32>, tensor<2x2xf32>) {
  %0, %1 = graph.fused(%x, %y) {stream_id = 1 : i64, kind = "elementwise"} : (tensor<4xf32>, tensor<2x2xf32>) -> (tensor<4xf32>, tensor<2x2xf32>) {
  ^bb0(%a: tensor<4xf32>, %b: tensor<2x2xf32>):
    %c = graph.constant dense<2.0> : tensor<f32>
    %s = graph.mul %b, %c : tensor<2x2xf32>, tensor<f32> -> tensor<2x2xf32>
    %e = graph.exp %a : tensor<4xf32>
    graph.yield %e, %s : tensor<4xf32>, tensor<2x2xf32>
  }
  %2 = graph.fused(%x) {kind = "generic"} : (tensor<4xf32>) -> tensor<2x2xf32> {
  ^bb0(%a: tensor<4xf32>):
    %r = graph.reshape %a : tensor<4xf32> -> tensor<2x2xf32>
    graph.yield %r : tensor<2x2xf32>
  }
  %3 = graph.fused(%y) : (tensor<2x2xf32>) -> tensor<2x2xf32> {
  ^bb0(%b: tensor<2x2xf32>):
    graph.yield %b : tensor<2x2xf32>
  }
  %4 = graph.fused(%y, %y) {kind = "contraction"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> {
  ^bb0(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>):
    %m = graph.matmul %a, %b : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
    graph.yield %m : tensor<2x2xf32>
  }
  %5 = graph.fused(%y) {kind = "reduction"} : (tensor<2x2xf32>) -> tensor<2x2xf32> {
  ^bb0(%a: tensor<2x2xf32>):
    %m = graph.softmax %a : tensor<2x2xf32>
    graph.yield %m : tensor<2x2xf32>
  }
  %6 = graph.fused(%y, %y, %y) {kind = "attention"} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> {
  ^bb0(%q: tensor<2x2xf32>, %k: tensor<2x2xf32>, %v: tensor<2x2xf32>):
    %s = graph.matmul %q, %k {transpose_b} : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
    %p = graph.softmax %s : tensor<2x2xf32>
    %o = graph.matmul %p, %v : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
    graph.yield %o : tensor<2x2xf32>
  }
  func.return %0, %1 : tensor<4xf32>, tensor<2x2xf32>
}

// -----

// No inputs (a body without block arguments), no results (the yield has no values: printed
// `graph.yield :`), dynamic shapes, and a location on the fused op.

// CHECK-LABEL: func.func @edges(%x: tensor<?x4xf16>) -> tensor<?x4xf16> {
// CHECK-NEXT: %0 = graph.fused() {kind = "elementwise"} : () -> tensor<4xf16> {
// CHECK-NEXT: %c = graph.constant dense<1.000000e+00> : tensor<4xf16>
// CHECK-NEXT: graph.yield %c : tensor<4xf16>
// CHECK-NEXT: }
// CHECK-NEXT: graph.fused(%x) : (tensor<?x4xf16>) -> () {
// CHECK-NEXT: ^bb0(%a: tensor<?x4xf16>):
// CHECK-NEXT: graph.yield :
// CHECK-NEXT: }
// CHECK-NEXT: %1 = graph.fused(%x, %0) {kind = "elementwise"} : (tensor<?x4xf16>, tensor<4xf16>) -> tensor<?x4xf16> {
// CHECK-NEXT: ^bb0(%a: tensor<?x4xf16>, %b: tensor<4xf16>):
// CHECK-NEXT: %s = graph.add %a, %b : tensor<?x4xf16>, tensor<4xf16> -> tensor<?x4xf16>
// CHECK-NEXT: graph.yield %s : tensor<?x4xf16>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %1 : tensor<?x4xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "edges"
// CHECK-GENERIC: "graph.fused"(%x) <{kind = "generic"}> ({
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<?x4xf16>):
// CHECK-GENERIC-NEXT: "graph.yield"() : () -> ()
// CHECK-GENERIC-NEXT: }) : (tensor<?x4xf16>) -> ()
func.func @edges(%x: tensor<?x4xf16>) -> tensor<?x4xf16> {
  %0 = graph.fused() {kind = "elementwise"} : () -> tensor<4xf16> {
    %c = graph.constant dense<1.0> : tensor<4xf16>
    graph.yield %c : tensor<4xf16>
  }
  graph.fused(%x) : (tensor<?x4xf16>) -> () {
  ^bb0(%a: tensor<?x4xf16>):
    graph.yield :
  }
  %1 = graph.fused(%x, %0) {kind = "elementwise"} : (tensor<?x4xf16>, tensor<4xf16>) -> tensor<?x4xf16> {
  ^bb0(%a: tensor<?x4xf16>, %b: tensor<4xf16>):
    %s = graph.add %a, %b : tensor<?x4xf16>, tensor<4xf16> -> tensor<?x4xf16>
    graph.yield %s : tensor<?x4xf16>
  }
  func.return %1 : tensor<?x4xf16>
}
