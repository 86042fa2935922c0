// Valid and invalid chunks in one file: --verify-diagnostics prints a valid chunk's module and
// an invalid chunk's one located error.
// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s
// RUN: ge-opt %s --split-input-file --verify-diagnostics --print-op-generic | filecheck %s --check-prefix=CHECK-GENERIC
// custom -> generic -> custom of the valid chunks:
// RUN: ge-opt %s --split-input-file --verify-diagnostics --print-op-generic | ge-opt --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s --check-prefix=RT
// Exactly one error per invalid chunk (9 of them):
// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | grep -c "error:" | filecheck %s --check-prefix=COUNT
// COUNT: {{^}}9{{$}}

// graph.update_slice: `graph.update_slice %dest, %update, %index {axis = k} : D, U, I -> D`:
// dest with update written at index along axis (a KV cache append). The update has dest's
// rank and dims outside the axis, is not longer than dest along it, and has dest's element
// type; the index is a one-element integer tensor; the result is dest's type.

// CHECK-LABEL: func.func @append_row(%c: tensor<8x4xf32>, %u: tensor<1x4xf32>, %i: tensor<i64>) -> tensor<8x4xf32> {
// CHECK-NEXT: %r = graph.update_slice %c, %u, %i {axis = 0 : i64} : tensor<8x4xf32>, tensor<1x4xf32>, tensor<i64> -> tensor<8x4xf32>
// CHECK-NEXT: func.return %r : tensor<8x4xf32>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "append_row"
// CHECK-GENERIC-NEXT: ^bb0(%c: tensor<8x4xf32>, %u: tensor<1x4xf32>, %i: tensor<i64>):
// CHECK-GENERIC-NEXT: %r = "graph.update_slice"(%c, %u, %i) <{axis = 0 : i64}> : (tensor<8x4xf32>, tensor<1x4xf32>, tensor<i64>) -> tensor<8x4xf32>
// CHECK-GENERIC-NEXT: "func.return"(%r) : (tensor<8x4xf32>) -> ()
// RT-LABEL: func.func @append_row(%c: tensor<8x4xf32>, %u: tensor<1x4xf32>, %i: tensor<i64>) -> tensor<8x4xf32> {
// RT-NEXT: %r = graph.update_slice %c, %u, %i {axis = 0 : i64} : tensor<8x4xf32>, tensor<1x4xf32>, tensor<i64> -> tensor<8x4xf32>
func.func @append_row(%c: tensor<8x4xf32>, %u: tensor<1x4xf32>, %i: tensor<i64>) -> tensor<8x4xf32> {
  %r = graph.update_slice %c, %u, %i {axis = 0 : i64} : tensor<8x4xf32>, tensor<1x4xf32>, tensor<i64> -> tensor<8x4xf32>
  func.return %r : tensor<8x4xf32>
}

// -----

// A [B, H, M, D] f16 cache along axis 2 with an i32 index of one element (tensor<1xi32>), a
// negative axis, an update as long as dest (a full overwrite), a tensor<1x1xi64> index.

// CHECK-LABEL: func.func @kv_cache(%k: tensor<1x2x16x8xf16>, %n: tensor<1x2x1x8xf16>, %p: tensor<1xi32>, %q: tensor<1x1xi64>) -> (tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>) {
// CHECK-NEXT: %a = graph.update_slice %k, %n, %p {axis = 2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x1x8xf16>, tensor<1xi32> -> tensor<1x2x16x8xf16>
// CHECK-NEXT: %b = graph.update_slice %a, %n, %q {axis = -2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x1x8xf16>, tensor<1x1xi64> -> tensor<1x2x16x8xf16>
// CHECK-NEXT: %c = graph.update_slice %b, %k, %p {axis = 2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>, tensor<1xi32> -> tensor<1x2x16x8xf16>
// CHECK-NEXT: func.return %a, %b, %c
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "kv_cache"
// CHECK-GENERIC: %b = "graph.update_slice"(%a, %n, %q) <{axis = -2 : i64}> : (tensor<1x2x16x8xf16>, tensor<1x2x1x8xf16>, tensor<1x1xi64>) -> tensor<1x2x16x8xf16>
// RT-LABEL: func.func @kv_cache
// RT-NEXT: %a = graph.update_slice %k, %n, %p {axis = 2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x1x8xf16>, tensor<1xi32> -> tensor<1x2x16x8xf16>
// RT-NEXT: %b = graph.update_slice %a, %n, %q {axis = -2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x1x8xf16>, tensor<1x1xi64> -> tensor<1x2x16x8xf16>
// RT-NEXT: %c = graph.update_slice %b, %k, %p {axis = 2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>, tensor<1xi32> -> tensor<1x2x16x8xf16>
func.func @kv_cache(%k: tensor<1x2x16x8xf16>, %n: tensor<1x2x1x8xf16>, %p: tensor<1xi32>, %q: tensor<1x1xi64>) -> (tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>) {
  %a = graph.update_slice %k, %n, %p {axis = 2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x1x8xf16>, tensor<1xi32> -> tensor<1x2x16x8xf16>
  %b = graph.update_slice %a, %n, %q {axis = -2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x1x8xf16>, tensor<1x1xi64> -> tensor<1x2x16x8xf16>
  %c = graph.update_slice %b, %k, %p {axis = 2 : i64} : tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>, tensor<1xi32> -> tensor<1x2x16x8xf16>
  func.return %a, %b, %c : tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>, tensor<1x2x16x8xf16>
}

// -----

// Dynamic dims: a dynamic cache length (the update fits at run time or not: the interpreter
// checks), a dynamic update dim outside the axis.

// CHECK-LABEL: func.func @dynamic(%c: tensor<?x8xf32>, %u: tensor<2x8xf32>, %v: tensor<1x?xf32>, %i: tensor<i64>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
// CHECK-NEXT: %r = graph.update_slice %c, %u, %i {axis = 0 : i64} : tensor<?x8xf32>, tensor<2x8xf32>, tensor<i64> -> tensor<?x8xf32>
// CHECK-NEXT: %s = graph.update_slice %c, %v, %i {axis = 0 : i64} : tensor<?x8xf32>, tensor<1x?xf32>, tensor<i64> -> tensor<?x8xf32>
// RT-LABEL: func.func @dynamic
// RT-NEXT: %r = graph.update_slice %c, %u, %i {axis = 0 : i64} : tensor<?x8xf32>, tensor<2x8xf32>, tensor<i64> -> tensor<?x8xf32>
// RT-NEXT: %s = graph.update_slice %c, %v, %i {axis = 0 : i64} : tensor<?x8xf32>, tensor<1x?xf32>, tensor<i64> -> tensor<?x8xf32>
func.func @dynamic(%c: tensor<?x8xf32>, %u: tensor<2x8xf32>, %v: tensor<1x?xf32>, %i: tensor<i64>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %r = graph.update_slice %c, %u, %i {axis = 0 : i64} : tensor<?x8xf32>, tensor<2x8xf32>, tensor<i64> -> tensor<?x8xf32>
  %s = graph.update_slice %c, %v, %i {axis = 0 : i64} : tensor<?x8xf32>, tensor<1x?xf32>, tensor<i64> -> tensor<?x8xf32>
  func.return %r, %s : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Invalid: one located error per chunk.

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: update rank 1 differs from dest rank 2
func.func @rank(%d: tensor<4x8xf32>, %u: tensor<8xf32>, %i: tensor<i64>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<8xf32>, tensor<i64> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: update 1x6 does not fit dest 4x8 outside axis 0
func.func @shape(%d: tensor<4x8xf32>, %u: tensor<1x6xf32>, %i: tensor<i64>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<1x6xf32>, tensor<i64> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: update is longer than dest along axis 0
func.func @longer(%d: tensor<4x8xf32>, %u: tensor<5x8xf32>, %i: tensor<i64>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<5x8xf32>, tensor<i64> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: index must be a one-element integer tensor, got tensor<f32>
func.func @index_float(%d: tensor<4x8xf32>, %u: tensor<1x8xf32>, %i: tensor<f32>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<1x8xf32>, tensor<f32> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: index must be a one-element integer tensor, got tensor<2xi64>
func.func @index_two(%d: tensor<4x8xf32>, %u: tensor<1x8xf32>, %i: tensor<2xi64>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<1x8xf32>, tensor<2xi64> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: index must be a one-element integer tensor, got tensor<?xi64>
func.func @index_dynamic(%d: tensor<4x8xf32>, %u: tensor<1x8xf32>, %i: tensor<?xi64>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<1x8xf32>, tensor<?xi64> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: element types differ: f16, f32
func.func @dtype(%d: tensor<4x8xf32>, %u: tensor<1x8xf16>, %i: tensor<i64>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<1x8xf16>, tensor<i64> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: result shape 8x8 does not match expected 4x8
func.func @result(%d: tensor<4x8xf32>, %u: tensor<1x8xf32>, %i: tensor<i64>) -> tensor<8x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 0 : i64} : tensor<4x8xf32>, tensor<1x8xf32>, tensor<i64> -> tensor<8x8xf32>
  func.return %r : tensor<8x8xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: update_slice.mlir:[[# @LINE + 2]]:3: error: graph.update_slice: axis 2 is out of range for rank 2
func.func @axis(%d: tensor<4x8xf32>, %u: tensor<1x8xf32>, %i: tensor<i64>) -> tensor<4x8xf32> {
  %r = graph.update_slice %d, %u, %i {axis = 2 : i64} : tensor<4x8xf32>, tensor<1x8xf32>, tensor<i64> -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

// CHECK-NOT: error
