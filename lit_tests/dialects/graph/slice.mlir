// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.slice: one (start, limit, step) per dim; ceil((limit - start) / step) elements.

// CHECK-LABEL: func.func @slice(%x: tensor<4x10xf32>) {
// CHECK-NEXT: %0 = graph.slice %x {start = array<i64: 0, 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
// CHECK-NEXT: %1 = graph.slice %x {start = array<i64: 1, 2>, limit = array<i64: 3, 8>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<2x6xf32>
// CHECK-NEXT: %2 = graph.slice %x {start = array<i64: 0, 1>, limit = array<i64: 4, 10>, step = array<i64: 2, 3>} : tensor<4x10xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %3 = graph.slice %x {start = array<i64: 2, 5>, limit = array<i64: 2, 5>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<0x0xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "slice"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x10xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.slice"(%x) <{start = array<i64: 0, 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 1>}> : (tensor<4x10xf32>) -> tensor<4x10xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.slice"(%x) <{start = array<i64: 1, 2>, limit = array<i64: 3, 8>, step = array<i64: 1, 1>}> : (tensor<4x10xf32>) -> tensor<2x6xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.slice"(%x) <{start = array<i64: 0, 1>, limit = array<i64: 4, 10>, step = array<i64: 2, 3>}> : (tensor<4x10xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.slice"(%x) <{start = array<i64: 2, 5>, limit = array<i64: 2, 5>, step = array<i64: 1, 1>}> : (tensor<4x10xf32>) -> tensor<0x0xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @slice(%x: tensor<4x10xf32>) {
  %0 = graph.slice %x {start = array<i64: 0, 0>, limit = array<i64: 4, 10>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  %1 = graph.slice %x {start = array<i64: 1, 2>, limit = array<i64: 3, 8>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<2x6xf32>
  %2 = graph.slice %x {start = array<i64: 0, 1>, limit = array<i64: 4, 10>, step = array<i64: 2, 3>} : tensor<4x10xf32> -> tensor<2x3xf32>
  %3 = graph.slice %x {start = array<i64: 2, 5>, limit = array<i64: 2, 5>, step = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<0x0xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @slice_dynamic(%x: tensor<?x77x768xf16>, %i: tensor<16xi64>) {
// CHECK-NEXT: %0 = graph.slice %x {start = array<i64: 0, 0, 0>, limit = array<i64: 1, 77, 768>, step = array<i64: 1, 1, 2>} : tensor<?x77x768xf16> -> tensor<?x77x384xf16>
// CHECK-NEXT: %1 = graph.slice %i {start = array<i64: 3>, limit = array<i64: 16>, step = array<i64: 4>} : tensor<16xi64> -> tensor<4xi64>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "slice_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77x768xf16>, %i: tensor<16xi64>):
// CHECK-GENERIC-NEXT: %0 = "graph.slice"(%x) <{start = array<i64: 0, 0, 0>, limit = array<i64: 1, 77, 768>, step = array<i64: 1, 1, 2>}> : (tensor<?x77x768xf16>) -> tensor<?x77x384xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.slice"(%i) <{start = array<i64: 3>, limit = array<i64: 16>, step = array<i64: 4>}> : (tensor<16xi64>) -> tensor<4xi64>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @slice_dynamic(%x: tensor<?x77x768xf16>, %i: tensor<16xi64>) {
  %0 = graph.slice %x {start = array<i64: 0, 0, 0>, limit = array<i64: 1, 77, 768>, step = array<i64: 1, 1, 2>} : tensor<?x77x768xf16> -> tensor<?x77x384xf16>
  %1 = graph.slice %i {start = array<i64: 3>, limit = array<i64: 16>, step = array<i64: 4>} : tensor<16xi64> -> tensor<4xi64>
  func.return
}

// -----

// CHECK-LABEL: func.func @slice_bf16(%x: tensor<2x8xbf16>) {
// CHECK-NEXT: %0 = graph.slice %x {start = array<i64: 1, 0>, limit = array<i64: 2, 8>, step = array<i64: 1, 7>} : tensor<2x8xbf16> -> tensor<1x2xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "slice_bf16"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x8xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.slice"(%x) <{start = array<i64: 1, 0>, limit = array<i64: 2, 8>, step = array<i64: 1, 7>}> : (tensor<2x8xbf16>) -> tensor<1x2xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @slice_bf16(%x: tensor<2x8xbf16>) {
  %0 = graph.slice %x {start = array<i64: 1, 0>, limit = array<i64: 2, 8>, step = array<i64: 1, 7>} : tensor<2x8xbf16> -> tensor<1x2xbf16>
  func.return
}
