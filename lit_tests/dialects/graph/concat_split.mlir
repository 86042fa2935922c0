// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.concat (variadic operands) and graph.split (variadic results), negative axes, dynamic dims.

// CHECK-LABEL: func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x5xf32>) {
// CHECK-NEXT: %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
// CHECK-NEXT: %1 = graph.concat %a, %c, %a {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x3xf32>) -> tensor<2x11xf32>
// CHECK-NEXT: %2 = graph.concat %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "concat"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x5xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.concat"(%a, %b) <{axis = 0 : i64}> : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.concat"(%a, %c, %a) <{axis = -1 : i64}> : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x3xf32>) -> tensor<2x11xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.concat"(%a) <{axis = 1 : i64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x5xf32>) {
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  %1 = graph.concat %a, %c, %a {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x3xf32>) -> tensor<2x11xf32>
  %2 = graph.concat %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @concat_dynamic(%a: tensor<?x77x64xf16>, %b: tensor<?x77x?xf16>, %c: tensor<1x?x8xi32>, %d: tensor<3x5x8xi32>) {
// CHECK-NEXT: %0 = graph.concat %a, %a {axis = 2 : i64} : (tensor<?x77x64xf16>, tensor<?x77x64xf16>) -> tensor<?x77x128xf16>
// CHECK-NEXT: %1 = graph.concat %a, %b {axis = 2 : i64} : (tensor<?x77x64xf16>, tensor<?x77x?xf16>) -> tensor<?x77x?xf16>
// CHECK-NEXT: %2 = graph.concat %c, %d {axis = 0 : i64} : (tensor<1x?x8xi32>, tensor<3x5x8xi32>) -> tensor<4x?x8xi32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "concat_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<?x77x64xf16>, %b: tensor<?x77x?xf16>, %c: tensor<1x?x8xi32>, %d: tensor<3x5x8xi32>):
// CHECK-GENERIC-NEXT: %0 = "graph.concat"(%a, %a) <{axis = 2 : i64}> : (tensor<?x77x64xf16>, tensor<?x77x64xf16>) -> tensor<?x77x128xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.concat"(%a, %b) <{axis = 2 : i64}> : (tensor<?x77x64xf16>, tensor<?x77x?xf16>) -> tensor<?x77x?xf16>
// CHECK-GENERIC-NEXT: %2 = "graph.concat"(%c, %d) <{axis = 0 : i64}> : (tensor<1x?x8xi32>, tensor<3x5x8xi32>) -> tensor<4x?x8xi32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @concat_dynamic(%a: tensor<?x77x64xf16>, %b: tensor<?x77x?xf16>, %c: tensor<1x?x8xi32>, %d: tensor<3x5x8xi32>) {
  %0 = graph.concat %a, %a {axis = 2 : i64} : (tensor<?x77x64xf16>, tensor<?x77x64xf16>) -> tensor<?x77x128xf16>
  %1 = graph.concat %a, %b {axis = 2 : i64} : (tensor<?x77x64xf16>, tensor<?x77x?xf16>) -> tensor<?x77x?xf16>
  %2 = graph.concat %c, %d {axis = 0 : i64} : (tensor<1x?x8xi32>, tensor<3x5x8xi32>) -> tensor<4x?x8xi32>
  func.return
}

// -----

// CHECK-LABEL: func.func @split(%x: tensor<2x6x4xf32>) {
// CHECK-NEXT: %0, %1, %2 = graph.split %x {axis = 1 : i64} : tensor<2x6x4xf32> -> tensor<2x1x4xf32>, tensor<2x2x4xf32>, tensor<2x3x4xf32>
// CHECK-NEXT: %3, %4 = graph.split %x {axis = -1 : i64} : tensor<2x6x4xf32> -> tensor<2x6x2xf32>, tensor<2x6x2xf32>
// CHECK-NEXT: %5 = graph.split %x {axis = 0 : i64} : tensor<2x6x4xf32> -> tensor<2x6x4xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "split"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x6x4xf32>):
// CHECK-GENERIC-NEXT: %0, %1, %2 = "graph.split"(%x) <{axis = 1 : i64}> : (tensor<2x6x4xf32>) -> (tensor<2x1x4xf32>, tensor<2x2x4xf32>, tensor<2x3x4xf32>)
// CHECK-GENERIC-NEXT: %3, %4 = "graph.split"(%x) <{axis = -1 : i64}> : (tensor<2x6x4xf32>) -> (tensor<2x6x2xf32>, tensor<2x6x2xf32>)
// CHECK-GENERIC-NEXT: %5 = "graph.split"(%x) <{axis = 0 : i64}> : (tensor<2x6x4xf32>) -> tensor<2x6x4xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @split(%x: tensor<2x6x4xf32>) {
  %0:3 = graph.split %x {axis = 1 : i64} : tensor<2x6x4xf32> -> tensor<2x1x4xf32>, tensor<2x2x4xf32>, tensor<2x3x4xf32>
  %1:2 = graph.split %x {axis = -1 : i64} : tensor<2x6x4xf32> -> tensor<2x6x2xf32>, tensor<2x6x2xf32>
  %2 = graph.split %x {axis = 0 : i64} : tensor<2x6x4xf32> -> tensor<2x6x4xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @split_dynamic(%x: tensor<?x77x2304xf16>, %y: tensor<8x?xi8>) {
// CHECK-NEXT: %q, %k, %v = graph.split %x {axis = 2 : i64} : tensor<?x77x2304xf16> -> tensor<?x77x768xf16>, tensor<?x77x768xf16>, tensor<?x77x768xf16>
// CHECK-NEXT: %0, %1 = graph.split %y {axis = 1 : i64} : tensor<8x?xi8> -> tensor<8x3xi8>, tensor<8x?xi8>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "split_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77x2304xf16>, %y: tensor<8x?xi8>):
// CHECK-GENERIC-NEXT: %q, %k, %v = "graph.split"(%x) <{axis = 2 : i64}> : (tensor<?x77x2304xf16>) -> (tensor<?x77x768xf16>, tensor<?x77x768xf16>, tensor<?x77x768xf16>)
// CHECK-GENERIC-NEXT: %0, %1 = "graph.split"(%y) <{axis = 1 : i64}> : (tensor<8x?xi8>) -> (tensor<8x3xi8>, tensor<8x?xi8>)
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @split_dynamic(%x: tensor<?x77x2304xf16>, %y: tensor<8x?xi8>) {
  %q, %k, %v = graph.split %x {axis = 2 : i64} : tensor<?x77x2304xf16> -> tensor<?x77x768xf16>, tensor<?x77x768xf16>, tensor<?x77x768xf16>
  %0:2 = graph.split %y {axis = 1 : i64} : tensor<8x?xi8> -> tensor<8x3xi8>, tensor<8x?xi8>
  func.return
}

// -----

// CHECK-LABEL: func.func @split_concat(%x: tensor<4x10xbf16>) -> tensor<4x10xbf16> {
// CHECK-NEXT: %0, %1 = graph.split %x {axis = 1 : i64} : tensor<4x10xbf16> -> tensor<4x4xbf16>, tensor<4x6xbf16>
// CHECK-NEXT: %2 = graph.concat %1, %0 {axis = 1 : i64} : (tensor<4x6xbf16>, tensor<4x4xbf16>) -> tensor<4x10xbf16>
// CHECK-NEXT: func.return %2 : tensor<4x10xbf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "split_concat"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x10xbf16>):
// CHECK-GENERIC-NEXT: %0, %1 = "graph.split"(%x) <{axis = 1 : i64}> : (tensor<4x10xbf16>) -> (tensor<4x4xbf16>, tensor<4x6xbf16>)
// CHECK-GENERIC-NEXT: %2 = "graph.concat"(%1, %0) <{axis = 1 : i64}> : (tensor<4x6xbf16>, tensor<4x4xbf16>) -> tensor<4x10xbf16>
// CHECK-GENERIC-NEXT: "func.return"(%2) : (tensor<4x10xbf16>) -> ()
func.func @split_concat(%x: tensor<4x10xbf16>) -> tensor<4x10xbf16> {
  %0:2 = graph.split %x {axis = 1 : i64} : tensor<4x10xbf16> -> tensor<4x4xbf16>, tensor<4x6xbf16>
  %1 = graph.concat %0#1, %0#0 {axis = 1 : i64} : (tensor<4x6xbf16>, tensor<4x4xbf16>) -> tensor<4x10xbf16>
  func.return %1 : tensor<4x10xbf16>
}
