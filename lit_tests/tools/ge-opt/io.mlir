// RUN: ge-opt %s -o %t && filecheck %s --input-file %t
// RUN: ge-opt < %s | filecheck %s
// RUN: cat %s | ge-opt -p cse | filecheck %s
// RUN: ge-opt --version | filecheck %s --check-prefix=VERSION

// Input from a file or stdin, output to stdout or -o FILE; --version names the xDSL version.

// CHECK:      builtin.module {
// CHECK-NEXT:   func.func @f(%x: tensor<?x77x768xf16>) -> tensor<?x77x768xf16> {
// CHECK-NEXT:     %0 = graph.gelu %x {approximate = "tanh"} : tensor<?x77x768xf16>
// CHECK-NEXT:     func.return %0 : tensor<?x77x768xf16>
// CHECK-NEXT:   }
// CHECK-NEXT: }

// VERSION: ge-opt (ge-compiler on xdsl 0.74

func.func @f(%x: tensor<?x77x768xf16>) -> tensor<?x77x768xf16> {
  %0 = graph.gelu %x {approximate = "tanh"} : tensor<?x77x768xf16>
  func.return %0 : tensor<?x77x768xf16>
}
