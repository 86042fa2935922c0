// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// Round-trip of every float unary op (graph.gelu has its own file).

// CHECK-LABEL: func.func @unary_f32(%x: tensor<2x3xf32>) {
// CHECK-NEXT: %neg = graph.neg %x : tensor<2x3xf32>
// CHECK-NEXT: %abs = graph.abs %x : tensor<2x3xf32>
// CHECK-NEXT: %exp = graph.exp %x : tensor<2x3xf32>
// CHECK-NEXT: %log = graph.log %x : tensor<2x3xf32>
// CHECK-NEXT: %sqrt = graph.sqrt %x : tensor<2x3xf32>
// CHECK-NEXT: %rsqrt = graph.rsqrt %x : tensor<2x3xf32>
// CHECK-NEXT: %recip = graph.reciprocal %x : tensor<2x3xf32>
// CHECK-NEXT: %relu = graph.relu %x : tensor<2x3xf32>
// CHECK-NEXT: %sigmoid = graph.sigmoid %x : tensor<2x3xf32>
// CHECK-NEXT: %tanh = graph.tanh %x : tensor<2x3xf32>
// CHECK-NEXT: %erf = graph.erf %x : tensor<2x3xf32>
// CHECK-NEXT: %silu = graph.silu %x : tensor<2x3xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "unary_f32"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x3xf32>):
// CHECK-GENERIC-NEXT: %neg = "graph.neg"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %abs = "graph.abs"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %exp = "graph.exp"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %log = "graph.log"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %sqrt = "graph.sqrt"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %rsqrt = "graph.rsqrt"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %recip = "graph.reciprocal"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %relu = "graph.relu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %sigmoid = "graph.sigmoid"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %tanh = "graph.tanh"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %erf = "graph.erf"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %silu = "graph.silu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @unary_f32(%x: tensor<2x3xf32>) {
  %neg = graph.neg %x : tensor<2x3xf32>
  %abs = graph.abs %x : tensor<2x3xf32>
  %exp = graph.exp %x : tensor<2x3xf32>
  %log = graph.log %x : tensor<2x3xf32>
  %sqrt = graph.sqrt %x : tensor<2x3xf32>
  %rsqrt = graph.rsqrt %x : tensor<2x3xf32>
  %recip = graph.reciprocal %x : tensor<2x3xf32>
  %relu = graph.relu %x : tensor<2x3xf32>
  %sigmoid = graph.sigmoid %x : tensor<2x3xf32>
  %tanh = graph.tanh %x : tensor<2x3xf32>
  %erf = graph.erf %x : tensor<2x3xf32>
  %silu = graph.silu %x : tensor<2x3xf32>
  func.return
}
// -----
// CHECK-LABEL: func.func @unary_f16_dynamic(%x: tensor<?x77xf16>) -> tensor<?x77xf16> {
// CHECK-NEXT: %0 = graph.silu %x : tensor<?x77xf16>
// CHECK-NEXT: %1 = graph.rsqrt %0 : tensor<?x77xf16>
// CHECK-NEXT: func.return %1 : tensor<?x77xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "unary_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.silu"(%x) : (tensor<?x77xf16>) -> tensor<?x77xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.rsqrt"(%0) : (tensor<?x77xf16>) -> tensor<?x77xf16>
// CHECK-GENERIC-NEXT: "func.return"(%1) : (tensor<?x77xf16>) -> ()
func.func @unary_f16_dynamic(%x: tensor<?x77xf16>) -> tensor<?x77xf16> {
  %0 = graph.silu %x : tensor<?x77xf16>
  %1 = graph.rsqrt %0 : tensor<?x77xf16>
  func.return %1 : tensor<?x77xf16>
}
// -----
// CHECK-LABEL: func.func @unary_bf16_f64_scalar(%x: tensor<4x?x?xbf16>, %s: tensor<f64>) {
// CHECK-NEXT: %0 = graph.exp %x : tensor<4x?x?xbf16>
// CHECK-NEXT: %1 = graph.tanh %s : tensor<f64>
// CHECK-NEXT: %2 = graph.neg %1 : tensor<f64>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "unary_bf16_f64_scalar"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x?x?xbf16>, %s: tensor<f64>):
// CHECK-GENERIC-NEXT: %0 = "graph.exp"(%x) : (tensor<4x?x?xbf16>) -> tensor<4x?x?xbf16>
// CHECK-GENERIC-NEXT: %1 = "graph.tanh"(%s) : (tensor<f64>) -> tensor<f64>
// CHECK-GENERIC-NEXT: %2 = "graph.neg"(%1) : (tensor<f64>) -> tensor<f64>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @unary_bf16_f64_scalar(%x: tensor<4x?x?xbf16>, %s: tensor<f64>) {
  %0 = graph.exp %x : tensor<4x?x?xbf16>
  %1 = graph.tanh %s : tensor<f64>
  %2 = graph.neg %1 : tensor<f64>
  func.return
}
// -----
// CHECK-LABEL: func.func @unary_discardable_attr(%x: tensor<8xf32>) {
// CHECK-NEXT: %0 = graph.relu %x {tag = "block0"} : tensor<8xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "unary_discardable_attr"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<8xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.relu"(%x) {tag = "block0"} : (tensor<8xf32>) -> tensor<8xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @unary_discardable_attr(%x: tensor<8xf32>) {
  %0 = graph.relu %x {tag = "block0"} : tensor<8xf32>
  func.return
}
